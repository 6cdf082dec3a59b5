//! Writing an export to a path given on the command line (`--out`).
//!
//! A regular file (or a new path) is written beside itself and renamed over
//! once complete, so a failed export never leaves a file that looks whole;
//! through a symbolic link, the file it points to is the one replaced.
//! Anything else — a device such as `/dev/null`, a FIFO, `/dev/stdout` — is
//! written straight into: renaming over it would replace the device itself.

use super::{ExportError, ExportRequest, write_to};
use sea_orm::DatabaseConnection;
use std::path::{Path, PathBuf};

/// How an export reaches its path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// Write `<file>.partial` and rename it over `file` once complete.
    Replace(PathBuf),
    /// Open the path and write into it (devices, FIFOs, sockets).
    Direct(PathBuf),
}

/// Decides how to write to `path` from what is there now.
///
/// # Errors
/// The path cannot be inspected (a permission denied on the way to it).
pub fn target(path: &Path) -> std::io::Result<Target> {
    match std::fs::metadata(path) {
        // Nothing there: a new file. (A dangling link is written through.)
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if std::fs::symlink_metadata(path).is_ok() {
                Ok(Target::Direct(path.to_path_buf()))
            } else {
                Ok(Target::Replace(path.to_path_buf()))
            }
        }
        Err(e) => Err(e),
        // A regular file, possibly through links: replace the file itself.
        Ok(meta) if meta.is_file() => match std::fs::canonicalize(path) {
            Ok(real) => Ok(Target::Replace(real)),
            Err(_) => Ok(Target::Direct(path.to_path_buf())),
        },
        Ok(_) => Ok(Target::Direct(path.to_path_buf())),
    }
}

/// Runs the export into `path` as [`target`] decides; returns the row count.
///
/// # Errors
/// As [`write_to`]; an I/O error names the path.
pub async fn write_to_path(
    db: &DatabaseConnection,
    request: &ExportRequest,
    path: &Path,
) -> Result<u64, ExportError> {
    let named = |io: std::io::Error| {
        ExportError::Io(std::io::Error::new(
            io.kind(),
            format!("{}: {io}", path.display()),
        ))
    };
    let result = match target(path).map_err(named)? {
        Target::Direct(path) => {
            let mut out = tokio::fs::OpenOptions::new()
                .write(true)
                .create(true)
                .truncate(true)
                .open(&path)
                .await?;
            write_to(db, request, &mut out).await
        }
        Target::Replace(file) => replace(db, request, &file).await,
    };
    result.map_err(|e| match e {
        ExportError::Io(io) => named(io),
        other => other,
    })
}

async fn replace(
    db: &DatabaseConnection,
    request: &ExportRequest,
    file: &Path,
) -> Result<u64, ExportError> {
    let mut partial = file.as_os_str().to_owned();
    partial.push(".partial");
    let partial = PathBuf::from(partial);
    let result = async {
        let mut out = tokio::fs::File::create(&partial).await?;
        let rows = write_to(db, request, &mut out).await?;
        out.sync_all().await?;
        tokio::fs::rename(&partial, file).await?;
        Ok::<u64, ExportError>(rows)
    }
    .await;
    if result.is_err() {
        let _ = tokio::fs::remove_file(&partial).await;
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_regular_files_and_new_paths_are_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let new = dir.path().join("new.csv");
        assert_eq!(target(&new).unwrap(), Target::Replace(new.clone()));
        std::fs::write(&new, "old").unwrap();
        let real = std::fs::canonicalize(&new).unwrap();
        assert_eq!(target(&new).unwrap(), Target::Replace(real.clone()));
        let link = dir.path().join("link.csv");
        std::os::unix::fs::symlink(&new, &link).unwrap();
        assert_eq!(
            target(&link).unwrap(),
            Target::Replace(real),
            "the file a link points to is replaced, not the link"
        );
        let dangling = dir.path().join("dangling.csv");
        std::os::unix::fs::symlink(dir.path().join("nowhere"), &dangling).unwrap();
        assert_eq!(target(&dangling).unwrap(), Target::Direct(dangling.clone()));
        let null = Path::new("/dev/null");
        assert_eq!(target(null).unwrap(), Target::Direct(null.to_path_buf()));
    }
}
