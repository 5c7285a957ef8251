//! Collecting the matching records of a query, grouped by document: the tantivy
//! [`GroupingCollector`] and its [`GroupingSegmentCollector`]s, and what they gather
//! ([`MatchedRecords`]: per document its best and second best score, and its best pages).
//!
//! A record's document is an array read (the table keeps record id -> table position per
//! segment); a document's score is its best page's score plus a fifth of its second best, so
//! several good pages beat one.

use std::collections::HashMap;
use std::sync::Arc;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};
use woo_core::schema;

use crate::search::table::{positions_of_records, DocumentTable, NO_POSITION};

/// Best pages kept per document while collecting; the shown hits are the best of these whose
/// text really contains a query term (a page can match on the document title alone).
pub const PAGES_CONSIDERED_PER_RESULT: usize = 12;

/// The best matching pages (score, page number, address) of some documents, by table position.
pub(super) type PagesByPosition = HashMap<usize, Vec<(Score, u32, DocAddress)>>;

/// One matching record: its document's position in the table, score, page and address.
#[derive(Debug, Clone, Copy)]
pub struct RecordHit {
    position: u32,
    page: u32,
    score: Score,
    address: DocAddress,
}

/// Every matching record of a query, grouped by document: per position in the document table
/// the best and second best record score, and the matching page records.
#[derive(Debug, Default)]
pub struct MatchedRecords {
    /// Best record score by table position (`NEG_INFINITY`: no match).
    best: Vec<Score>,
    /// Second best record score by table position (`NEG_INFINITY`: none).
    second: Vec<Score>,
    /// Matched documents (table positions), in the order first seen.
    pub(super) positions: Vec<usize>,
    /// Matching page records (document records only count for the score).
    page_hits: Vec<RecordHit>,
}

impl MatchedRecords {
    /// No matches yet, over a table of `documents` entries.
    fn new(documents: usize) -> MatchedRecords {
        MatchedRecords {
            best: vec![Score::NEG_INFINITY; documents],
            second: vec![Score::NEG_INFINITY; documents],
            positions: Vec::new(),
            page_hits: Vec::new(),
        }
    }

    /// Adds one document's run of matching records in a segment: its best and second best
    /// score (its best pages go to `page_hits` separately).
    fn add_run(&mut self, run: &DocumentRun) {
        let position = run.position as usize;
        let Some(best) = self.best.get(position).copied() else {
            return;
        };
        if best == Score::NEG_INFINITY {
            self.positions.push(position);
        }
        for score in [run.best, run.second] {
            if score > self.best[position] {
                self.second[position] = self.best[position];
                self.best[position] = score;
            } else if score > self.second[position] {
                self.second[position] = score;
            }
        }
    }

    /// The score of the document at `position`: its best record's score plus a fifth of its
    /// second best, so several good pages beat one (0 when it did not match).
    pub fn score(&self, position: usize) -> Score {
        let best = self
            .best
            .get(position)
            .copied()
            .unwrap_or(Score::NEG_INFINITY);
        if best == Score::NEG_INFINITY {
            return 0.0;
        }
        let second = self.second[position];
        if second == Score::NEG_INFINITY {
            return best;
        }
        best + 0.2 * second
    }

    /// The best matching pages (score, page number, address) of each document at `positions`,
    /// best first, at most [`PAGES_CONSIDERED_PER_RESULT`] each; one pass over the hits.
    pub(super) fn best_pages(&self, positions: &[usize]) -> PagesByPosition {
        let mut pages: PagesByPosition = positions
            .iter()
            .map(|&position| (position, Vec::new()))
            .collect();
        // Most hits belong to other documents: a flag per table position skips them without
        // hashing.
        let mut wanted = vec![false; self.best.len()];
        for &position in positions {
            if let Some(flag) = wanted.get_mut(position) {
                *flag = true;
            }
        }
        for hit in &self.page_hits {
            if !wanted[hit.position as usize] {
                continue;
            }
            let Some(list) = pages.get_mut(&(hit.position as usize)) else {
                continue;
            };
            list.push((hit.score, hit.page, hit.address));
            if list.len() > 4 * PAGES_CONSIDERED_PER_RESULT {
                sort_pages_best_first(list);
                list.truncate(PAGES_CONSIDERED_PER_RESULT);
            }
        }
        for list in pages.values_mut() {
            sort_pages_best_first(list);
            list.truncate(PAGES_CONSIDERED_PER_RESULT);
        }
        pages
    }
}

/// Best score first; equal scores by page number.
fn sort_pages_best_first(pages: &mut [(Score, u32, DocAddress)]) {
    pages.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
}

/// One document's consecutive matching records in a segment (a document's records are
/// added together, so they mostly follow each other): its best and second best score, and
/// where its best pages lie in the segment's page list.
#[derive(Debug, Clone, Copy)]
pub struct DocumentRun {
    position: u32,
    best: Score,
    second: Score,
}

/// What a segment collector found: the documents' runs and their best pages.
#[derive(Debug, Default)]
pub struct SegmentMatches {
    runs: Vec<DocumentRun>,
    pages: Vec<RecordHit>,
}

/// Collects every matching record, grouped by document (its position in `table`). The
/// grouping happens in the segment collectors (in parallel, one segment per thread): each
/// keeps per run of records of one document only its scores and best pages, so the merge
/// handles one entry per document instead of one per matching page.
pub struct GroupingCollector<'a> {
    /// The document table the positions refer to.
    pub table: &'a DocumentTable,
    /// Whether scores are computed (not needed for a sort by date).
    pub scoring: bool,
}

/// Per-segment part of [`GroupingCollector`].
pub struct GroupingSegmentCollector {
    segment_ord: SegmentOrdinal,
    positions: Arc<Vec<u32>>,
    pages_column: tantivy::columnar::Column<u64>,
    found: SegmentMatches,
    current: Option<DocumentRun>,
    current_pages: Vec<RecordHit>,
}

impl GroupingSegmentCollector {
    /// Ends the current run: keeps its best pages.
    fn flush(&mut self) {
        let Some(run) = self.current.take() else {
            return;
        };
        keep_best_pages(&mut self.current_pages);
        self.found.pages.append(&mut self.current_pages);
        self.found.runs.push(run);
    }
}

/// Keeps the [`PAGES_CONSIDERED_PER_RESULT`] best of one document's page hits, best first.
fn keep_best_pages(pages: &mut Vec<RecordHit>) {
    pages.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.page.cmp(&b.page)));
    pages.truncate(PAGES_CONSIDERED_PER_RESULT);
}

impl Collector for GroupingCollector<'_> {
    type Fruit = MatchedRecords;
    type Child = GroupingSegmentCollector;

    fn for_segment(
        &self,
        segment_ord: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<GroupingSegmentCollector> {
        // The table maps the segments of the index it was read from; a segment it does not
        // know (a commit in between) is mapped now.
        let positions = match self.table.segment_positions.get(&reader.segment_id()) {
            Some(positions) => positions.clone(),
            None => Arc::new(positions_of_records(reader, &self.table.by_key)?),
        };
        Ok(GroupingSegmentCollector {
            segment_ord,
            positions,
            pages_column: reader.fast_fields().u64(schema::PAGE)?,
            found: SegmentMatches::default(),
            current: None,
            current_pages: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        self.scoring
    }

    fn merge_fruits(&self, fruits: Vec<SegmentMatches>) -> tantivy::Result<MatchedRecords> {
        let mut matched = MatchedRecords::new(self.table.entries.len());
        for fruit in fruits {
            for run in &fruit.runs {
                matched.add_run(run);
            }
            matched.page_hits.extend(fruit.pages);
        }
        Ok(matched)
    }
}

impl SegmentCollector for GroupingSegmentCollector {
    type Fruit = SegmentMatches;

    fn collect(&mut self, doc: DocId, score: Score) {
        let position = self
            .positions
            .get(doc as usize)
            .copied()
            .unwrap_or(NO_POSITION);
        if position == NO_POSITION {
            return;
        }
        if self.current.is_some_and(|run| run.position != position) {
            self.flush();
        }
        let run = self.current.get_or_insert(DocumentRun {
            position,
            best: Score::NEG_INFINITY,
            second: Score::NEG_INFINITY,
        });
        if score > run.best {
            run.second = run.best;
            run.best = score;
        } else if score > run.second {
            run.second = score;
        }
        let page = self.pages_column.first(doc).unwrap_or(0) as u32;
        if page == 0 {
            return;
        }
        self.current_pages.push(RecordHit {
            position,
            page,
            score,
            address: DocAddress::new(self.segment_ord, doc),
        });
        if self.current_pages.len() >= 4 * PAGES_CONSIDERED_PER_RESULT {
            keep_best_pages(&mut self.current_pages);
        }
    }

    fn harvest(mut self) -> SegmentMatches {
        self.flush();
        self.found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn document_score_rewards_a_second_good_page() {
        let run = |position: u32, best: Score, second: Score| DocumentRun {
            position,
            best,
            second,
        };
        let mut matched = MatchedRecords::new(3);
        matched.add_run(&run(0, 2.0, Score::NEG_INFINITY));
        matched.add_run(&run(1, 2.0, 1.0));
        // A document whose records were split over two segments: its runs combine.
        matched.add_run(&run(2, 2.0, Score::NEG_INFINITY));
        matched.add_run(&run(2, 1.5, Score::NEG_INFINITY));
        assert!(matched.score(1) > matched.score(0));
        assert_eq!(matched.score(2), 2.0 + 0.2 * 1.5);
        assert_eq!(matched.positions, vec![0, 1, 2]);
        let hit = |page: u32, score: Score| RecordHit {
            position: 1,
            page,
            score,
            address: DocAddress::new(0, page),
        };
        matched.page_hits = vec![hit(2, 1.0), hit(1, 2.0)];
        let pages = matched.best_pages(&[1]);
        assert_eq!(
            pages[&1].iter().map(|p| p.1).collect::<Vec<_>>(),
            vec![1, 2]
        );
    }
}
