//! Handing freed memory back to the system when the service goes quiet.
//!
//! mimalloc (the Rust side's allocator) returns freed memory only while it
//! allocates, and glibc's (SQLite's) keeps what its threads freed: a
//! service that went quiet after a burst kept what the burst took. The
//! upkeep task asks both to let go every ten seconds (bench/README.md).

/// Hands back what both allocators hold freed: this thread's mimalloc heap
/// and its arenas, and every glibc arena.
pub fn trim() {
    // SAFETY: both only walk and trim their allocator's own state.
    unsafe {
        libmimalloc_sys::mi_collect(true);
        libc::malloc_trim(0);
    }
}
