//! Uploaded files (an agenda item's annexes, a monthly report's evidence): checked by their
//! name and first bytes, then kept on disk under the SHA-256 of their content, so the same
//! file uploaded twice is stored once and a name on disk is never anything a client sent.

use std::path::Path;

use abierto_domain::annexes::check_annex;
use sha2::{Digest, Sha256};

use crate::AppError;

/// A file as uploaded, and where and up to what size files are kept.
pub struct FileUpload<'a> {
    pub dir: &'a Path,
    pub max_bytes: usize,
    pub filename: &'a str,
    pub content: &'a [u8],
}

/// A file accepted and written.
pub struct KeptFile {
    pub filename: String,
    pub content_type: &'static str,
    pub size_bytes: i64,
    pub sha256: String,
}

/// Checks the file and writes it under its hash (once: an existing copy is kept).
pub async fn keep_file(upload: &FileUpload<'_>) -> Result<KeptFile, AppError> {
    let kept = check_file(upload)?;
    write_file(upload.dir, &kept.sha256, upload.content).await?;
    Ok(kept)
}

/// Checks the file's name, type and size, and names its content, without writing anything.
pub fn check_file(upload: &FileUpload<'_>) -> Result<KeptFile, AppError> {
    let (content_type, filename) = check_annex(upload.filename, upload.content, upload.max_bytes)?;
    Ok(KeptFile {
        filename,
        content_type,
        size_bytes: upload.content.len() as i64,
        sha256: hex(&Sha256::digest(upload.content)),
    })
}

/// Writes `content` under its hash in `dir`, unless a copy is already there.
pub async fn write_file(dir: &Path, sha256: &str, content: &[u8]) -> Result<(), AppError> {
    let path = dir.join(sha256);
    if tokio::fs::metadata(&path).await.is_ok() {
        return Ok(());
    }
    tokio::fs::create_dir_all(dir)
        .await
        .map_err(|e| AppError::Internal(format!("files dir: {e}")))?;
    // Written beside its final name and renamed, so a reader never sees half a file; the
    // partial name is unique, so two uploads of the same file at once do not collide.
    let partial = dir.join(format!("{sha256}.{:016x}.partial", rand::random::<u64>()));
    tokio::fs::write(&partial, content)
        .await
        .map_err(|e| AppError::Internal(format!("file write: {e}")))?;
    tokio::fs::rename(&partial, &path)
        .await
        .map_err(|e| AppError::Internal(format!("file rename: {e}")))?;
    Ok(())
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
