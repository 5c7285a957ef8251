//! The in-memory document table: one [`DocumentEntry`] per live document, rebuilt at every
//! reload by [`build_document_table`], with the documents' facet values as ordinals, the
//! record id -> table position map of every segment, and each document's newest-first rank.

use std::collections::HashMap;
use std::sync::Arc;

use tantivy::query::TermQuery;
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{DocAddress, SegmentReader, TantivyDocument, Term};
use woo_core::schema::{self, Fields};
use woo_core::StoredDocument;

use crate::error::Result;
use crate::search::complaints::{build_complaint_table, ComplaintTable};
use crate::search::facets::FacetOrdinals;

/// One document of the in-memory table.
#[derive(Debug, Clone)]
pub struct DocumentEntry {
    /// [`schema::doc_key`] of the id, computed once when the table is built.
    pub key: u64,
    /// What the index stores.
    pub stored: StoredDocument,
    /// Date as days since 1970.
    pub date_days: Option<i64>,
    /// Decision date (decision letters) as days since 1970.
    pub decision_days: Option<i64>,
    /// Its near-duplicate cluster (the smallest id of its members), when it has a
    /// near-duplicate (`woo_core::similarity`).
    pub duplicate_cluster: Option<String>,
    /// Its e-mail thread (the smallest id of the thread's documents), when its messages
    /// belong to a thread of at least two messages (`woo_core::mail`).
    pub thread: Option<String>,
}

/// Every live document, by key; rebuilt at each reader reload.
#[derive(Debug, Default)]
pub struct DocumentTable {
    /// Entries.
    pub entries: Vec<DocumentEntry>,
    /// Key -> position in `entries`.
    pub by_key: HashMap<u64, usize>,
    /// Id -> position in `entries`.
    pub by_id: HashMap<String, usize>,
    /// The facet values of every document, as ordinals.
    pub facets: FacetOrdinals,
    /// The complaint judgements' facts and themes, for the pattern statistics.
    pub complaints: ComplaintTable,
    /// Near-duplicate cluster name -> positions of its members in `entries`, in id order.
    pub duplicate_clusters: HashMap<String, Vec<usize>>,
    /// E-mail thread name -> positions of its documents in `entries`, in id order.
    pub threads: HashMap<String, Vec<usize>>,
    /// For each segment of the searcher the table was built from: record id -> position in
    /// `entries`, so that collecting a hit is an array read instead of a hash lookup.
    pub(super) segment_positions: HashMap<tantivy::index::SegmentId, Arc<Vec<u32>>>,
    /// Each document's place in the newest-first order (date descending, then id), so that
    /// sorting compares two integers: comparing dates and ids in the entries was a fifth of
    /// a fuzzy query at 1M pages, whose equal scores all fall through to that order.
    pub(super) newest_first_rank: Vec<u32>,
}

impl DocumentTable {
    /// The values of facet `name` of the document at `position` (empty for an unknown facet).
    pub fn facet(&self, position: usize, name: &str) -> Vec<&str> {
        self.facets.values_of_document(position, name)
    }
}

/// Builds the document table from the document records of a searcher.
pub fn build_document_table(
    searcher: &tantivy::Searcher,
    fields: &Fields,
) -> Result<DocumentTable> {
    let query = TermQuery::new(
        Term::from_field_text(fields.record, schema::RECORD_DOCUMENT),
        IndexRecordOption::Basic,
    );
    let addresses = searcher.search(&query, &tantivy::collector::DocSetCollector)?;
    let mut table = DocumentTable::default();
    let mut sorted: Vec<DocAddress> = addresses.into_iter().collect();
    sorted.sort();
    for address in sorted {
        let record: TantivyDocument = searcher.doc(address)?;
        let Some(meta) = record
            .get_first(fields.meta)
            .and_then(|value| value.as_str())
        else {
            continue;
        };
        let Ok(stored) = serde_json::from_str::<StoredDocument>(meta) else {
            tracing::warn!("document record with unreadable metadata skipped");
            continue;
        };
        let key = schema::doc_key(&stored.fields.id);
        let position = table.entries.len();
        table.by_key.insert(key, position);
        table.by_id.insert(stored.fields.id.clone(), position);
        table.entries.push(DocumentEntry {
            key,
            date_days: stored
                .fields
                .date
                .as_deref()
                .and_then(woo_core::dates::date_to_days),
            decision_days: stored
                .fields
                .decision_date
                .as_deref()
                .and_then(woo_core::dates::date_to_days),
            stored,
            duplicate_cluster: None,
            thread: None,
        });
    }
    add_duplicate_clusters(&mut table);
    add_email_threads(&mut table);
    add_complaints_and_facets(&mut table);
    for reader in searcher.segment_readers() {
        let positions = positions_of_records(reader, &table.by_key)?;
        table
            .segment_positions
            .insert(reader.segment_id(), Arc::new(positions));
    }
    table.newest_first_rank = newest_first_ranks(&table.entries);
    Ok(table)
}

/// Clusters the near-duplicates among the documents from their signatures (once per table
/// build: about 0.7 s for 100,000 documents, benches/README.md "Near-duplicates").
fn add_duplicate_clusters(table: &mut DocumentTable) {
    let signed: Vec<(&str, &[u32])> = table
        .entries
        .iter()
        .map(|entry| {
            (
                entry.stored.fields.id.as_str(),
                entry.stored.fields.text_signature.as_slice(),
            )
        })
        .collect();
    let clusters = woo_core::similarity::duplicate_clusters(&signed);
    for (position, cluster) in clusters.into_iter().enumerate() {
        if let Some(name) = &cluster {
            table
                .duplicate_clusters
                .entry(name.clone())
                .or_default()
                .push(position);
        }
        table.entries[position].duplicate_cluster = cluster;
    }
    for members in table.duplicate_clusters.values_mut() {
        let entries = &table.entries;
        members.sort_by(|&a, &b| {
            entries[a]
                .stored
                .fields
                .id
                .cmp(&entries[b].stored.fields.id)
        });
    }
}

/// Links the e-mail messages of the documents into threads (`woo_core::mail::email_threads`).
fn add_email_threads(table: &mut DocumentTable) {
    let mailed: Vec<usize> = (0..table.entries.len())
        .filter(|&position| !table.entries[position].stored.fields.emails.is_empty())
        .collect();
    let documents: Vec<(&str, &[woo_core::EmailHeaders])> = mailed
        .iter()
        .map(|&position| {
            let fields = &table.entries[position].stored.fields;
            (fields.id.as_str(), fields.emails.as_slice())
        })
        .collect();
    let threads = woo_core::mail::email_threads(&documents);
    for (&position, thread) in mailed.iter().zip(threads) {
        if let Some(name) = &thread {
            table
                .threads
                .entry(name.clone())
                .or_default()
                .push(position);
        }
        table.entries[position].thread = thread;
    }
    for members in table.threads.values_mut() {
        let entries = &table.entries;
        members.sort_by(|&a, &b| {
            entries[a]
                .stored
                .fields
                .id
                .cmp(&entries[b].stored.fields.id)
        });
    }
}

/// Finds the complaint judgements' facts and themes, then numbers every document's facet
/// values (the theme facet needs the themes of all judgements, the thread facet the threads).
fn add_complaints_and_facets(table: &mut DocumentTable) {
    let documents: Vec<&StoredDocument> = table.entries.iter().map(|entry| &entry.stored).collect();
    table.complaints = build_complaint_table(&documents);
    for (position, entry) in table.entries.iter().enumerate() {
        let theme = table.complaints.theme_label_at(position);
        table
            .facets
            .add_document(&entry.stored, theme, entry.thread.as_deref());
    }
}

/// The place of each entry in the newest-first order: date descending (undated last), then
/// id ascending.
fn newest_first_ranks(entries: &[DocumentEntry]) -> Vec<u32> {
    let mut order: Vec<usize> = (0..entries.len()).collect();
    order.sort_unstable_by(|&a, &b| {
        let date_a = entries[a].date_days.unwrap_or(i64::MIN);
        let date_b = entries[b].date_days.unwrap_or(i64::MIN);
        date_b.cmp(&date_a).then_with(|| {
            entries[a]
                .stored
                .fields
                .id
                .cmp(&entries[b].stored.fields.id)
        })
    });
    let mut ranks = vec![0u32; entries.len()];
    for (rank, position) in order.into_iter().enumerate() {
        ranks[position] = rank as u32;
    }
    ranks
}

/// A record that belongs to no live document of the table (deleted or replaced).
pub(super) const NO_POSITION: u32 = u32::MAX;

/// The table position of every record of a segment (record id -> position, [`NO_POSITION`]
/// for deleted records and records of unknown documents).
pub(super) fn positions_of_records(
    reader: &SegmentReader,
    by_key: &HashMap<u64, usize>,
) -> tantivy::Result<Vec<u32>> {
    let keys = reader.fast_fields().u64(schema::DOC_KEY)?;
    let alive = reader.alive_bitset();
    let mut positions = vec![NO_POSITION; reader.max_doc() as usize];
    for doc in 0..reader.max_doc() {
        if alive.is_some_and(|bitset| !bitset.is_alive(doc)) {
            continue;
        }
        let Some(key) = keys.first(doc) else {
            continue;
        };
        if let Some(&position) = by_key.get(&key) {
            positions[doc as usize] = position as u32;
        }
    }
    Ok(positions)
}

#[cfg(test)]
mod tests {
    use super::*;
    use woo_core::DocumentFields;

    #[test]
    fn newest_first_ranks_order_by_date_then_id_with_undated_last() {
        let entry = |id: &str, date_days: Option<i64>| DocumentEntry {
            key: 0,
            stored: StoredDocument {
                fields: DocumentFields {
                    id: id.to_string(),
                    ..Default::default()
                },
                ..StoredDocument::default()
            },
            date_days,
            decision_days: None,
            duplicate_cluster: None,
            thread: None,
        };
        let entries = vec![
            entry("b", Some(100)),
            entry("undated", None),
            entry("a", Some(100)),
            entry("newest", Some(200)),
        ];
        // newest (200), then a and b (100, by id), then the undated one.
        assert_eq!(newest_first_ranks(&entries), vec![2, 3, 1, 0]);
    }
}
