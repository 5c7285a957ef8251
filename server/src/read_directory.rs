//! A read-only opening of an index directory that reads files instead of mapping them.
//!
//! tantivy maps index files into memory, and every mapped page a reader touched counts in the
//! process's resident memory for as long as the mapping lives. Building the document table
//! reads every document record, which touches most of the doc store (document records lie
//! between their pages): through a mapping that was 1.6 GB of resident memory at 1M pages,
//! for data read once. [`ReadDirectory`] reads each requested byte range with `pread` into a
//! buffer that is freed when tantivy drops it, so the server's memory holds only what it
//! keeps. Everything but reading is delegated to a [`MmapDirectory`] on the same path.

use std::fs::File;
use std::io;
use std::ops::Range;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, Lock, MmapDirectory, OwnedBytes, WatchCallback,
    WatchHandle, WritePtr,
};
use tantivy::HasLen;

/// An index directory whose files are read with `pread`, not mapped.
#[derive(Debug, Clone)]
pub struct ReadDirectory {
    root: PathBuf,
    inner: MmapDirectory,
}

impl ReadDirectory {
    /// Opens the index directory `root`.
    pub fn open(root: &Path) -> tantivy::Result<ReadDirectory> {
        let inner = MmapDirectory::open(root)?;
        Ok(ReadDirectory {
            root: root.to_path_buf(),
            inner,
        })
    }
}

/// One open file, read by byte range.
#[derive(Debug)]
struct ReadFile {
    file: File,
    len: usize,
}

impl HasLen for ReadFile {
    fn len(&self) -> usize {
        self.len
    }
}

impl FileHandle for ReadFile {
    fn read_bytes(&self, range: Range<usize>) -> io::Result<OwnedBytes> {
        let end = range.end.min(self.len);
        if range.start > end {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("byte range {range:?} outside a file of {} bytes", self.len),
            ));
        }
        let mut buffer = vec![0u8; end - range.start];
        self.file.read_exact_at(&mut buffer, range.start as u64)?;
        Ok(OwnedBytes::new(buffer))
    }
}

impl Directory for ReadDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        let full_path = self.root.join(path);
        let file = File::open(&full_path).map_err(|error| {
            if error.kind() == io::ErrorKind::NotFound {
                OpenReadError::FileDoesNotExist(path.to_path_buf())
            } else {
                OpenReadError::wrap_io_error(error, path.to_path_buf())
            }
        })?;
        let len = file
            .metadata()
            .map_err(|error| OpenReadError::wrap_io_error(error, path.to_path_buf()))?
            .len() as usize;
        Ok(Arc::new(ReadFile { file, len }))
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        self.inner.delete(path)
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.inner.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        self.inner.open_write(path)
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.inner.atomic_read(path)
    }

    fn atomic_write(&self, path: &Path, data: &[u8]) -> io::Result<()> {
        self.inner.atomic_write(path, data)
    }

    fn sync_directory(&self) -> io::Result<()> {
        self.inner.sync_directory()
    }

    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        self.inner.acquire_lock(lock)
    }

    fn watch(&self, watch_callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.inner.watch(watch_callback)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_byte_ranges_and_reports_missing_files() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.bin"), b"0123456789").unwrap();
        let directory = ReadDirectory::open(dir.path()).unwrap();
        let handle = directory.get_file_handle(Path::new("a.bin")).unwrap();
        assert_eq!(handle.len(), 10);
        assert_eq!(handle.read_bytes(2..5).unwrap().as_slice(), b"234");
        assert_eq!(handle.read_bytes(8..20).unwrap().as_slice(), b"89");
        assert!(handle.read_bytes(12..14).is_err());
        assert!(matches!(
            directory.get_file_handle(Path::new("missing.bin")),
            Err(OpenReadError::FileDoesNotExist(_))
        ));
    }

    #[test]
    fn an_index_opens_and_reads_through_it() {
        use tantivy::schema::{Schema, Value, STORED, TEXT};
        let dir = tempfile::tempdir().unwrap();
        let mut builder = Schema::builder();
        let title = builder.add_text_field("title", TEXT | STORED);
        let index = tantivy::Index::create_in_dir(dir.path(), builder.build()).unwrap();
        let mut writer = index.writer_with_num_threads(1, 15_000_000).unwrap();
        writer
            .add_document(tantivy::doc!(title => "openbaarheid van bestuur"))
            .unwrap();
        writer.commit().unwrap();
        let opened = tantivy::Index::open(ReadDirectory::open(dir.path()).unwrap()).unwrap();
        let reader = opened.reader().unwrap();
        let searcher = reader.searcher();
        assert_eq!(searcher.num_docs(), 1);
        let stored: tantivy::TantivyDocument =
            searcher.doc(tantivy::DocAddress::new(0, 0)).unwrap();
        assert_eq!(
            stored.get_first(title).and_then(|value| value.as_str()),
            Some("openbaarheid van bestuur")
        );
    }
}
