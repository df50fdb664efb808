//! Every file the records name, by the hash it is kept under: what start-up checks against
//! the disk, so that a database restored without its files is reported at once instead of
//! by the first person who asks for one.

use crate::{Store, StoreError};

/// Which folder a kept file lives in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum FileShelf {
    /// Annexes, evidence and attachments.
    Annexes,
    /// The open-data portal's data files and their converted tables.
    DataFiles,
}

/// A file a record names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredFileRef {
    pub shelf: FileShelf,
    pub sha256: String,
    /// The name people know it by (`acta-firmada.pdf`).
    pub filename: String,
}

impl Store {
    /// Every file the records name, each hash once per shelf.
    pub async fn stored_files(&self) -> Result<Vec<StoredFileRef>, StoreError> {
        let rows: Vec<(String, String, String)> = sqlx::query_as(
            "SELECT CAST('annex' AS TEXT) AS shelf, sha256, MIN(filename) FROM annexes \
             GROUP BY sha256 \
             UNION ALL SELECT 'annex', sha256, MIN(filename) FROM evidence GROUP BY sha256 \
             UNION ALL SELECT 'data', sha256, MIN(file_name) FROM resource_versions \
             GROUP BY sha256 \
             UNION ALL SELECT 'data', table_sha256, MIN(file_name) FROM resource_versions \
             WHERE table_sha256 IS NOT NULL GROUP BY table_sha256",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut files: Vec<StoredFileRef> = rows
            .into_iter()
            .map(|(shelf, sha256, filename)| StoredFileRef {
                shelf: if shelf == "data" {
                    FileShelf::DataFiles
                } else {
                    FileShelf::Annexes
                },
                sha256,
                filename,
            })
            .collect();
        files.sort_by(|a, b| (a.shelf, &a.sha256).cmp(&(b.shelf, &b.sha256)));
        files.dedup_by(|a, b| a.sha256 == b.sha256 && a.shelf == b.shelf);
        Ok(files)
    }
}
