//! Opening the index the indexer wrote: the one place that checks its schema version and
//! registers the analyzers its fields were written with.

use std::path::Path;

use tantivy::Index;

use crate::analysis::register_analyzers;
use crate::error::{CoreError, Result};
use crate::schema;

/// Opens an existing index, checking that its schema version is this program's.
pub fn open_index(dir: &Path) -> Result<Index> {
    if !dir.join("meta.json").exists() {
        return Err(CoreError::IndexDirectory {
            path: dir.to_path_buf(),
            reason: "no index here (run `woo index --index DIR INPUT...` first)".to_string(),
        });
    }
    let version_text =
        std::fs::read_to_string(dir.join(schema::SCHEMA_VERSION_FILE)).unwrap_or_default();
    if version_text.trim() != schema::SCHEMA_VERSION.to_string() {
        return Err(CoreError::IndexDirectory {
            path: dir.to_path_buf(),
            reason: format!(
                "index schema version {:?} differs from this program's {}; delete the directory and index again",
                version_text.trim(),
                schema::SCHEMA_VERSION
            ),
        });
    }
    let index = Index::open_in_dir(dir).map_err(|error| CoreError::IndexDirectory {
        path: dir.to_path_buf(),
        reason: error.to_string(),
    })?;
    register_analyzers(&index);
    Ok(index)
}
