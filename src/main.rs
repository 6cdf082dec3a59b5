//! The `campaign-feedback` binary: parse the command line and hand over.

use clap::Parser;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = campaign_feedback::cli::Cli::parse();
    campaign_feedback::cli::run(cli).await
}
