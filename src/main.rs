//! The `campaign-feedback` binary: parse the command line and hand over.

use clap::Parser;

// The service allocates many small, short-lived buffers per request; glibc's
// allocator spent a quarter of the submission profile in malloc and free,
// and mimalloc serves about 20% more submissions a second (bench/README.md).
// Built without transparent huge pages, which took an idle server from 20 MB
// to 30 MB resident.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = campaign_feedback::cli::Cli::parse();
    campaign_feedback::cli::run(cli).await
}
