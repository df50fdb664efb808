//! The files people upload, kept on disk under the SHA-256 of their content: an agenda
//! item's annexes, a monthly report's evidence and a submission's attachments in one folder,
//! the open-data portal's data files in another. The same file uploaded twice is kept once,
//! a name on disk is never anything a client sent, and a reader never sees half a file.

use std::path::{Path, PathBuf};

use abierto_domain::annexes::check_annex;
use sha2::{Digest, Sha256};

use crate::settings::Settings;
use crate::{Error, Result};

/// Where kept files live, and how large an annex may be.
pub struct FileStore {
    annex_dir: PathBuf,
    data_dir: PathBuf,
    max_annex_bytes: usize,
}

/// A file as uploaded.
#[derive(Debug, Clone, Copy)]
pub struct FileUpload<'a> {
    pub filename: &'a str,
    pub content: &'a [u8],
}

/// A file accepted, named by its content.
#[derive(Debug, Clone)]
pub struct KeptFile {
    pub filename: String,
    pub content_type: &'static str,
    pub size_bytes: i64,
    pub sha256: String,
}

/// A kept file opened for a reader who may have it.
pub struct StoredFile {
    pub file: tokio::fs::File,
    pub filename: String,
    pub content_type: String,
}

impl FileStore {
    pub(crate) fn new(settings: &Settings) -> FileStore {
        FileStore {
            annex_dir: settings.annex_dir.clone(),
            data_dir: settings.data_file_dir.clone(),
            max_annex_bytes: settings.max_annex_bytes,
        }
    }

    /// Checks an annex, evidence file or attachment by its name, first bytes and size, and
    /// names its content, without writing anything.
    pub(crate) fn check_annex(&self, upload: &FileUpload<'_>) -> Result<KeptFile> {
        let (content_type, filename) =
            check_annex(upload.filename, upload.content, self.max_annex_bytes)?;
        Ok(KeptFile {
            filename,
            content_type,
            size_bytes: upload.content.len() as i64,
            sha256: hex(&Sha256::digest(upload.content)),
        })
    }

    /// Checks an annex and keeps it.
    pub(crate) async fn keep_annex(&self, upload: &FileUpload<'_>) -> Result<KeptFile> {
        let kept = self.check_annex(upload)?;
        write_file(&self.annex_dir, &kept.sha256, upload.content).await?;
        Ok(kept)
    }

    /// Keeps an annex already checked.
    pub(crate) async fn write_annex(&self, sha256: &str, content: &[u8]) -> Result<()> {
        write_file(&self.annex_dir, sha256, content).await
    }

    /// Keeps a data file under its hash.
    pub(crate) async fn write_data(&self, sha256: &str, content: &[u8]) -> Result<()> {
        write_file(&self.data_dir, sha256, content).await
    }

    /// Whether a file the records name is on disk.
    pub(crate) async fn is_kept(&self, shelf: abierto_store::FileShelf, sha256: &str) -> bool {
        let dir = match shelf {
            abierto_store::FileShelf::Annexes => &self.annex_dir,
            abierto_store::FileShelf::DataFiles => &self.data_dir,
        };
        tokio::fs::try_exists(dir.join(sha256))
            .await
            .unwrap_or(false)
    }

    pub(crate) fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    pub(crate) fn data_path(&self, sha256: &str) -> PathBuf {
        self.data_dir.join(sha256)
    }

    /// Removes an annex nothing keeps any more; one already gone is no failure.
    pub(crate) async fn remove_annex(&self, sha256: &str) {
        match tokio::fs::remove_file(self.annex_dir.join(sha256)).await {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => tracing::error!(%sha256, error = %e, "erased attachment not removed"),
        }
    }

    pub(crate) async fn open_annex(
        &self,
        sha256: &str,
        filename: &str,
        content_type: &str,
    ) -> Result<StoredFile> {
        open(&self.annex_dir, sha256, filename, content_type).await
    }

    pub(crate) async fn open_data(
        &self,
        sha256: &str,
        filename: &str,
        content_type: &str,
    ) -> Result<StoredFile> {
        open(&self.data_dir, sha256, filename, content_type).await
    }
}

async fn open(dir: &Path, sha256: &str, filename: &str, content_type: &str) -> Result<StoredFile> {
    // The name on disk is the content's hash, never anything a client sent.
    if sha256.len() != 64 || !sha256.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(Error::Internal(format!(
            "stored file {filename} has a bad hash"
        )));
    }
    let file = match tokio::fs::File::open(dir.join(sha256)).await {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            tracing::error!(%sha256, %filename, dir = %dir.display(), "a stored file is missing from disk");
            return Err(Error::StoredFileMissing(filename.to_owned()));
        }
        Err(e) => return Err(Error::internal(&format!("stored file {sha256}"), e)),
    };
    Ok(StoredFile {
        file,
        filename: filename.to_owned(),
        content_type: content_type.to_owned(),
    })
}

/// Writes `content` under its hash in `dir`, unless a copy is already there.
async fn write_file(dir: &Path, sha256: &str, content: &[u8]) -> Result<()> {
    let path = dir.join(sha256);
    if tokio::fs::metadata(&path).await.is_ok() {
        return Ok(());
    }
    tokio::fs::create_dir_all(dir)
        .await
        .map_err(|e| Error::internal("files dir", e))?;
    // Written beside its final name and renamed, so a reader never sees half a file; the
    // partial name is unique, so two uploads of the same file at once do not collide.
    let partial = dir.join(format!("{sha256}.{:016x}.partial", rand::random::<u64>()));
    tokio::fs::write(&partial, content)
        .await
        .map_err(|e| Error::internal("file write", e))?;
    tokio::fs::rename(&partial, &path)
        .await
        .map_err(|e| Error::internal("file rename", e))?;
    Ok(())
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
