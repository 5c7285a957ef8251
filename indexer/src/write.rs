//! Documents -> tantivy: open or create the index, upsert by id, delete, commit durably.
//!
//! A document is written as one `document` record plus one `page` record per page (see
//! [`woo_core::schema`]). Upsert deletes every record carrying the document id first, so a
//! re-run never duplicates. [`IndexSink::commit`] commits and then fsyncs the index directory,
//! because tantivy does not fsync the directory after renaming `meta.json`.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use tantivy::schema::Value;
use tantivy::{doc, Index, IndexWriter, TantivyDocument, Term};

use crate::error::{IndexerError, Result};
use woo_core::analysis::register_analyzers;
use woo_core::model::{Document, StoredDocument, StoredPage, TextSource};
use woo_core::schema::{self, build_schema, Fields};

/// Memory budget of the tantivy writer, in bytes.
const WRITER_MEMORY_BYTES: usize = 200 * 1024 * 1024;

/// Opens the index in `dir`, creating it (and the directory) when absent.
pub fn create_or_open_index(dir: &Path) -> Result<Index> {
    let meta = dir.join("meta.json");
    if meta.exists() {
        return Ok(open_index(dir)?);
    }
    std::fs::create_dir_all(dir).map_err(|error| IndexerError::IndexDirectory {
        path: dir.to_path_buf(),
        reason: error.to_string(),
    })?;
    // The version file first: a run killed right after tantivy wrote `meta.json` must not
    // leave an index without it (which no reader would open).
    std::fs::write(
        dir.join(schema::SCHEMA_VERSION_FILE),
        schema::SCHEMA_VERSION.to_string(),
    )?;
    woo_core::retraction::fsync_directory(dir)?;
    let index = Index::create_in_dir(dir, build_schema())?;
    register_analyzers(&index);
    Ok(index)
}

pub use woo_core::index::open_index;

pub use woo_core::dates::date_to_days;

/// Builds what the index stores about a document.
pub fn stored_document(document: &Document) -> StoredDocument {
    let mut grounds: BTreeSet<String> = document.grounds.iter().cloned().collect();
    let mut languages: BTreeSet<String> = document.language.iter().cloned().collect();
    let mut text_sources = BTreeSet::new();
    let mut ground_stamps = 0u32;
    let mut pages_without_text = 0u32;
    let mut ocr_pages = 0u32;
    for page in &document.pages {
        grounds.extend(page.grounds.iter().cloned());
        ground_stamps += page.grounds.len() as u32;
        if let Some(language) = &page.language {
            languages.insert(language.clone());
        }
        text_sources.insert(page.source.as_str().to_string());
        if page.text.trim().is_empty() {
            pages_without_text += 1;
        }
        if page.source == TextSource::Ocr {
            ocr_pages += 1;
        }
    }
    StoredDocument {
        fields: document.fields.clone(),
        grounds: grounds.into_iter().collect(),
        ground_stamps,
        page_count: document.pages.len() as u32,
        languages: languages.into_iter().collect(),
        text_sources: text_sources.into_iter().collect(),
        pages_without_text,
        ocr_pages,
    }
}

/// The documents of the committed index, see [`IndexSink::existing_documents`].
#[derive(Debug, Default)]
pub struct ExistingDocuments {
    /// Content hash by document id.
    pub content_hashes: HashMap<String, String>,
    /// Document ids by source file ([`source_file`] of their `source`).
    pub ids_by_source_file: HashMap<String, Vec<String>>,
}

/// The file part of a document's `source`: `bundel/a.pdf#pages=3-5` -> `bundel/a.pdf`.
pub fn source_file(source: &str) -> &str {
    source.split_once('#').map_or(source, |(file, _)| file)
}

/// An open writer on the index.
pub struct IndexSink {
    dir: std::path::PathBuf,
    index: Index,
    writer: IndexWriter,
    fields: Fields,
}

impl IndexSink {
    /// Opens (or creates) the index in `dir` for writing. Fails when another writer holds it.
    pub fn open(dir: &Path) -> Result<IndexSink> {
        let index = create_or_open_index(dir)?;
        let fields = Fields::from_schema(&index.schema())?;
        let writer =
            index
                .writer(WRITER_MEMORY_BYTES)
                .map_err(|error| IndexerError::IndexDirectory {
                    path: dir.to_path_buf(),
                    reason: format!("cannot take the index writer: {error}"),
                })?;
        Ok(IndexSink {
            dir: dir.to_path_buf(),
            index,
            writer,
            fields,
        })
    }

    /// Closes the writer: waits for its merges to end, so that the writer lock is free when
    /// this returns (a dropped writer may still be merging, and a new writer on the same
    /// directory then fails with `LockBusy`).
    pub fn close(self) -> Result<()> {
        self.writer.wait_merging_threads()?;
        Ok(())
    }

    /// The index being written.
    pub fn index(&self) -> &Index {
        &self.index
    }

    /// What the committed index holds: each document's content hash, and the documents of
    /// each source file (one PDF can give several: the parts of a bundle).
    pub fn existing_documents(&self) -> Result<ExistingDocuments> {
        let reader = self.index.reader()?;
        let searcher = reader.searcher();
        let query = tantivy::query::TermQuery::new(
            Term::from_field_text(self.fields.record, schema::RECORD_DOCUMENT),
            tantivy::schema::IndexRecordOption::Basic,
        );
        let addresses = searcher.search(&query, &tantivy::collector::DocSetCollector)?;
        let mut existing = ExistingDocuments::default();
        for address in addresses {
            let stored: TantivyDocument = searcher.doc(address)?;
            let Some(meta) = stored.get_first(self.fields.meta).and_then(|v| v.as_str()) else {
                continue;
            };
            let Ok(document) = serde_json::from_str::<StoredDocument>(meta) else {
                continue;
            };
            existing
                .ids_by_source_file
                .entry(source_file(&document.fields.source).to_string())
                .or_default()
                .push(document.fields.id.clone());
            existing
                .content_hashes
                .insert(document.fields.id, document.fields.content_hash);
        }
        Ok(existing)
    }

    /// Replaces every record of `document.id` with the records of `document`.
    pub fn upsert(&mut self, document: &Document) -> Result<()> {
        self.delete(&document.fields.id);
        let fields = self.fields;
        let stored = stored_document(document);
        let meta_json = serde_json::to_string(&stored).unwrap_or_default();
        let key = schema::doc_key(&document.fields.id);
        let date_days = document.fields.date.as_deref().and_then(date_to_days);
        let year = document
            .fields
            .date
            .as_deref()
            .and_then(|date| date.get(..4));

        let mut identifiers = vec![document.fields.id.clone()];
        if let Some(publication_id) = &document.fields.publication_id {
            identifiers.push(publication_id.clone());
        }
        identifiers.extend(document.fields.references.iter().cloned());
        let identifier_text = identifiers.join(" ");

        // Fields shared by both record kinds.
        let add_shared = |record: &mut TantivyDocument| {
            record.add_text(fields.doc_id, &document.fields.id);
            record.add_u64(fields.doc_key, key);
            record.add_text(fields.title, &document.fields.title);
            record.add_text(fields.title_exact, &document.fields.title);
            record.add_text(fields.text_parts, &document.fields.title);
            record.add_text(fields.identifiers, &identifier_text);
            if let Some(value) = &document.fields.publisher {
                record.add_text(fields.publisher, value);
            }
            if let Some(value) = &document.fields.category {
                record.add_text(fields.category, value);
            }
            if let Some(value) = &document.fields.document_type {
                record.add_text(fields.document_type, value);
            }
            if let Some(value) = &document.fields.judgement {
                record.add_text(fields.judgement, value);
            }
            if let Some(value) = &document.fields.publication_id {
                record.add_text(fields.publication_id, value);
            }
            if let Some(value) = year {
                record.add_text(fields.year, value);
            }
            if let Some(days) = date_days {
                record.add_i64(fields.date_days, days);
            }
        };

        let mut document_record = doc!(
            fields.record => schema::RECORD_DOCUMENT,
            fields.page => 0u64,
            fields.meta => meta_json,
        );
        add_shared(&mut document_record);
        if let Some(summary) = &document.fields.summary {
            document_record.add_text(fields.text, summary);
            document_record.add_text(fields.text_exact, summary);
            document_record.add_text(fields.text_parts, summary);
        }
        for language in &stored.languages {
            document_record.add_text(fields.language, language);
        }
        for ground in &stored.grounds {
            document_record.add_text(fields.ground, ground);
        }
        for source in &stored.text_sources {
            document_record.add_text(fields.text_source, source);
        }
        self.writer.add_document(document_record)?;

        self.add_page_records(document, &add_shared)
    }

    /// Adds one `page` record per page of `document`, each with the fields `add_shared` adds
    /// to both record kinds.
    fn add_page_records(
        &mut self,
        document: &Document,
        add_shared: &dyn Fn(&mut TantivyDocument),
    ) -> Result<()> {
        let fields = self.fields;
        for page in &document.pages {
            let page_meta = StoredPage {
                source: page.source,
                ocr_confidence: page.ocr_confidence,
                language: page.language.clone(),
                grounds: page.grounds.clone(),
            };
            let mut page_record = doc!(
                fields.record => schema::RECORD_PAGE,
                fields.page => u64::from(page.page),
                fields.text => page.text.as_str(),
                fields.text_exact => page.text.as_str(),
                fields.text_parts => page.text.as_str(),
                fields.text_source => page.source.as_str(),
                fields.page_meta => serde_json::to_string(&page_meta).unwrap_or_default(),
            );
            add_shared(&mut page_record);
            if let Some(language) = &page.language {
                page_record.add_text(fields.language, language);
            }
            let page_grounds: BTreeSet<&String> = page.grounds.iter().collect();
            for ground in page_grounds {
                page_record.add_text(fields.ground, ground);
            }
            self.writer.add_document(page_record)?;
        }
        Ok(())
    }

    /// Deletes every record of a document id (takes effect at the next commit).
    pub fn delete(&mut self, doc_id: &str) {
        self.writer
            .delete_term(Term::from_field_text(self.fields.doc_id, doc_id));
    }

    /// Deletes every record of every document of a publication (takes effect at the next commit).
    pub fn delete_publication(&mut self, publication_id: &str) {
        self.writer.delete_term(Term::from_field_text(
            self.fields.publication_id,
            publication_id,
        ));
    }

    /// The index directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Commits, then fsyncs the index directory so the new `meta.json` survives a power loss.
    /// Returns the commit opstamp.
    pub fn commit(&mut self) -> Result<u64> {
        #[cfg(feature = "test-hooks")]
        crate::test_hooks::pause_in_commit();
        let opstamp = self.writer.commit()?;
        woo_core::retraction::fsync_directory(&self.dir)?;
        Ok(opstamp)
    }

    /// Merges all segments into one (also a lone segment holding deleted records) and removes
    /// files no longer used (deleted records'
    /// bytes leave the disk). Waits for the merge.
    pub fn merge_and_collect_garbage(&mut self) -> Result<()> {
        let metas = self.index.searchable_segment_metas()?;
        let has_deletes = metas.iter().any(|meta| meta.num_deleted_docs() > 0);
        let segment_ids: Vec<_> = metas.iter().map(|meta| meta.id()).collect();
        // A single segment with deleted records is rewritten too (a merge of one).
        if segment_ids.len() > 1 || has_deletes {
            self.writer.merge(&segment_ids).wait()?;
        }
        self.writer.garbage_collect_files().wait()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use woo_core::model::Page;
    use woo_core::DocumentFields;

    fn sample_document(id: &str, text: &str) -> Document {
        Document {
            fields: DocumentFields {
                id: id.to_string(),
                title: "Besluit op Woo-verzoek".to_string(),
                source: "a.pdf".to_string(),
                date: Some("2024-03-15".to_string()),
                ..Default::default()
            },
            pages: vec![Page {
                page: 1,
                text: text.to_string(),
                source: TextSource::Text,
                grounds: vec!["5.1.2e".to_string(), "5.1.2e".to_string()],
                ..Page::default()
            }],
            ..Document::default()
        }
    }

    #[test]
    fn upsert_twice_leaves_one_copy() {
        let dir = tempfile::tempdir().unwrap();
        let mut sink = IndexSink::open(dir.path()).unwrap();
        sink.upsert(&sample_document("A", "eerste tekst")).unwrap();
        sink.commit().unwrap();
        sink.upsert(&sample_document("A", "tweede tekst")).unwrap();
        sink.commit().unwrap();
        let reader = sink.index().reader().unwrap();
        let searcher = reader.searcher();
        // One document record and one page record.
        assert_eq!(searcher.num_docs(), 2);
        let hashes = sink.existing_documents().unwrap().content_hashes;
        assert_eq!(hashes.len(), 1);
    }

    #[test]
    fn existing_documents_are_listed_by_source_file() {
        let dir = tempfile::tempdir().unwrap();
        let mut sink = IndexSink::open(dir.path()).unwrap();
        let mut first = sample_document("A", "eerste deel");
        first.fields.source = "bundel/a.pdf#pages=1-2".to_string();
        let mut second = sample_document("A-p3", "tweede deel");
        second.fields.source = "bundel/a.pdf#pages=3-4".to_string();
        let mut other = sample_document("B", "ander bestand");
        other.fields.source = "b.pdf".to_string();
        for document in [&first, &second, &other] {
            sink.upsert(document).unwrap();
        }
        sink.commit().unwrap();
        let existing = sink.existing_documents().unwrap();
        let mut parts = existing.ids_by_source_file["bundel/a.pdf"].clone();
        parts.sort();
        assert_eq!(parts, vec!["A", "A-p3"]);
        assert_eq!(existing.ids_by_source_file["b.pdf"], vec!["B"]);
        assert_eq!(existing.content_hashes.len(), 3);
    }

    #[test]
    fn stored_document_counts_stamps_and_grounds_once() {
        let stored = stored_document(&sample_document("A", "tekst"));
        assert_eq!(stored.grounds, vec!["5.1.2e"]);
        assert_eq!(stored.ground_stamps, 2);
        assert_eq!(stored.page_count, 1);
    }
}
