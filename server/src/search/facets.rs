//! The facets: one [`FACETS`] table describing each facet (its name, whether it is a
//! histogram, the record field it maps to, how its values come from a [`StoredDocument`], its
//! value labels), the facet values of every document as ordinals ([`FacetOrdinals`], part of
//! the document table), facet counting, and the query narrowing that facet selections allow.
//!
//! Facet counts count documents, and each facet's counts are computed with that facet's own
//! selection left out (OR within a facet, AND across facets).

use std::collections::{BTreeMap, HashMap};

use tantivy::query::{BooleanQuery, ConstScoreQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::Term;
use woo_core::schema::Fields;
use woo_core::StoredDocument;

use crate::search::response::{FacetCount, OtherFacetValues};

/// Facet values listed per facet unless `facet_size` says otherwise (the rest is summed up in
/// `facet_other`). The `year` and `month` histograms are never cut.
pub const DEFAULT_FACET_SIZE: usize = 10;

/// What the search knows about one facet.
pub struct FacetDescriptor {
    /// The facet's name: its request parameter and its key in the response.
    pub name: &'static str,
    /// A histogram over time: listed in full, newest first, never cut.
    pub histogram: bool,
    /// Counted only when asked for (`histogram=month`) or when one of its values is selected.
    pub only_when_asked: bool,
    /// The indexed field of the facet when every record of a document carries its value (so
    /// that a record filter on it is a document filter); `None` for facets kept per page
    /// (`ground`, `language`, `text_source`) or only in the document table.
    pub record_field: fn(&Fields) -> Option<Field>,
    /// The facet's values of a document.
    pub values_of: fn(&StoredDocument) -> Vec<String>,
    /// A human label of a value that is a code (category, ground).
    pub label_of: fn(&str) -> Option<String>,
}

/// The facets, in the order they are shown; a facet's position here is its index in the
/// document table and its bit in the masks of [`count_facets`].
pub const FACETS: &[FacetDescriptor] = &[
    FacetDescriptor {
        name: "publisher",
        histogram: false,
        only_when_asked: false,
        record_field: |fields| Some(fields.publisher),
        values_of: |stored| optional_value(&stored.fields.publisher),
        label_of: |_| None,
    },
    FacetDescriptor {
        name: "category",
        histogram: false,
        only_when_asked: false,
        record_field: |fields| Some(fields.category),
        values_of: |stored| optional_value(&stored.fields.category),
        label_of: |value| {
            woo_core::woo::category_by_any(value).map(|category| category.label.to_string())
        },
    },
    FacetDescriptor {
        name: "type",
        histogram: false,
        only_when_asked: false,
        record_field: |fields| Some(fields.document_type),
        values_of: |stored| optional_value(&stored.fields.document_type),
        label_of: |_| None,
    },
    FacetDescriptor {
        name: "year",
        histogram: true,
        only_when_asked: false,
        record_field: |fields| Some(fields.year),
        values_of: |stored| date_prefix(stored, 4),
        label_of: |_| None,
    },
    FacetDescriptor {
        name: "language",
        histogram: false,
        only_when_asked: false,
        record_field: |_| None,
        values_of: |stored| stored.languages.clone(),
        label_of: |_| None,
    },
    FacetDescriptor {
        name: "ground",
        histogram: false,
        only_when_asked: false,
        record_field: |_| None,
        values_of: |stored| stored.grounds.clone(),
        label_of: |value| Some(woo_core::woo::ground_facet_label(value)),
    },
    FacetDescriptor {
        name: "judgement",
        histogram: false,
        only_when_asked: false,
        record_field: |fields| Some(fields.judgement),
        values_of: |stored| optional_value(&stored.fields.judgement),
        label_of: |_| None,
    },
    FacetDescriptor {
        name: "text_source",
        histogram: false,
        only_when_asked: false,
        record_field: |_| None,
        values_of: |stored| stored.text_sources.clone(),
        label_of: |_| None,
    },
    FacetDescriptor {
        name: "decision",
        histogram: false,
        only_when_asked: false,
        record_field: |_| None,
        values_of: |stored| optional_value(&stored.fields.decision),
        label_of: |_| None,
    },
    FacetDescriptor {
        name: "outcome",
        histogram: false,
        only_when_asked: false,
        record_field: |_| None,
        values_of: |stored| optional_value(&stored.fields.outcome),
        label_of: |_| None,
    },
    FacetDescriptor {
        name: "subject",
        histogram: false,
        only_when_asked: false,
        record_field: |_| None,
        values_of: |stored| optional_value(&stored.fields.subject),
        label_of: |_| None,
    },
    FacetDescriptor {
        name: "file_format",
        histogram: false,
        only_when_asked: false,
        record_field: |_| None,
        values_of: |stored| optional_value(&stored.fields.format),
        label_of: |_| None,
    },
    FacetDescriptor {
        name: "court",
        histogram: false,
        only_when_asked: false,
        record_field: |_| None,
        values_of: |stored| optional_value(&stored.fields.court),
        label_of: |_| None,
    },
    FacetDescriptor {
        name: "norm",
        histogram: false,
        only_when_asked: false,
        record_field: |_| None,
        values_of: crate::search::complaints::cited_norm_names,
        label_of: |_| None,
    },
    FacetDescriptor {
        name: "violated_norm",
        histogram: false,
        only_when_asked: false,
        record_field: |_| None,
        values_of: |stored| woo_core::complaints::violated_norms(&stored.fields),
        label_of: |_| None,
    },
    FacetDescriptor {
        name: "handling_time",
        histogram: false,
        only_when_asked: false,
        record_field: |_| None,
        values_of: crate::search::complaints::handling_time_values,
        label_of: crate::search::complaints::handling_time_label,
    },
    FacetDescriptor {
        name: "theme",
        histogram: false,
        only_when_asked: false,
        record_field: |_| None,
        // Themes are found over all judgements when the table is built and handed to
        // `FacetOrdinals::add_document`; a document alone has none.
        values_of: |_| Vec::new(),
        label_of: |_| None,
    },
    FacetDescriptor {
        name: "sender",
        histogram: false,
        only_when_asked: false,
        record_field: |_| None,
        values_of: |stored| email_participants(stored, true),
        label_of: |_| None,
    },
    FacetDescriptor {
        name: "recipient",
        histogram: false,
        only_when_asked: false,
        record_field: |_| None,
        values_of: |stored| email_participants(stored, false),
        label_of: |_| None,
    },
    FacetDescriptor {
        name: "thread",
        histogram: false,
        only_when_asked: true,
        record_field: |_| None,
        // Threads are found over all documents when the table is built and handed to
        // `FacetOrdinals::add_document`.
        values_of: |_| Vec::new(),
        label_of: |_| None,
    },
    FacetDescriptor {
        name: "month",
        histogram: true,
        only_when_asked: true,
        record_field: |_| None,
        values_of: |stored| date_prefix(stored, 7),
        label_of: |_| None,
    },
];

/// The facet names, in the order of [`FACETS`].
pub const FACET_NAMES: &[&str] = &facet_names();

/// The names of [`FACETS`], computed at compile time.
const fn facet_names() -> [&'static str; FACETS.len()] {
    let mut names = [""; FACETS.len()];
    let mut index = 0;
    while index < FACETS.len() {
        names[index] = FACETS[index].name;
        index += 1;
    }
    names
}

/// The visible senders (or recipients) of the messages printed in an e-mail, and their
/// organisation domains: redacted names and addresses are left out, never guessed.
fn email_participants(stored: &StoredDocument, senders: bool) -> Vec<String> {
    let mut values: Vec<String> = Vec::new();
    for message in &stored.fields.emails {
        let printed: Vec<&String> = if senders {
            message.sender.iter().collect()
        } else {
            message.recipients.iter().collect()
        };
        for value in printed {
            for shown in woo_core::mail::visible_participant_values(value) {
                if !values.contains(&shown) {
                    values.push(shown);
                }
            }
        }
    }
    values
}

/// A value that is there or not, as a list of values.
fn optional_value(value: &Option<String>) -> Vec<String> {
    value.iter().cloned().collect()
}

/// The first `length` characters of a document's date (`YYYY`, `YYYY-MM`), when it has them.
fn date_prefix(stored: &StoredDocument, length: usize) -> Vec<String> {
    stored
        .fields
        .date
        .as_deref()
        .and_then(|date| date.get(..length))
        .filter(|prefix| prefix.len() == length)
        .map(str::to_string)
        .into_iter()
        .collect()
}

/// Position of a facet in [`FACETS`].
pub(super) fn facet_index(name: &str) -> Option<usize> {
    FACETS.iter().position(|facet| facet.name == name)
}

/// The record field of facet `name` (see [`FacetDescriptor::record_field`]).
fn record_field_of_facet(fields: &Fields, name: &str) -> Option<Field> {
    let index = facet_index(name)?;
    (FACETS[index].record_field)(fields)
}

/// The label of a value of `facet` (see [`FacetDescriptor::label_of`]).
fn facet_label(facet: &FacetDescriptor, value: &str) -> Option<String> {
    (facet.label_of)(value)
}

/// One value of one facet, numbered by the table.
#[derive(Debug, Clone)]
pub struct FacetValue {
    /// Position of the facet in [`FACETS`].
    pub facet: usize,
    /// The value.
    pub value: String,
}

/// The facet values of every document of the table as ordinals, document after document:
/// facet counting and filtering read every facet of every matching document, and small
/// integers in one array index a counter array where strings in each entry had to be hashed.
#[derive(Debug, Default)]
pub struct FacetOrdinals {
    /// Every facet value of the documents, by ordinal.
    pub values: Vec<FacetValue>,
    /// The facet position of each ordinal (`values[o].facet`, packed for the counting loop).
    facet_of_ordinal: Vec<u8>,
    /// The ordinals of every document, document after document.
    ordinals: Vec<u32>,
    /// Where each document's ordinals start in `ordinals` (one more than there are documents).
    ordinal_starts: Vec<u32>,
    /// (facet position, value) -> ordinal in `values`.
    ordinal_of: HashMap<(usize, String), u32>,
}

impl FacetOrdinals {
    /// Adds the facet values of the next document of the table (in table order), with its
    /// `theme` (found over all judgements, see [`crate::search::complaints`]) and its e-mail
    /// `thread` (found over all documents).
    pub(super) fn add_document(
        &mut self,
        stored: &StoredDocument,
        theme: Option<&str>,
        thread: Option<&str>,
    ) {
        if self.ordinal_starts.is_empty() {
            self.ordinal_starts.push(0);
        }
        for (facet, descriptor) in FACETS.iter().enumerate() {
            for value in (descriptor.values_of)(stored) {
                let ordinal = self.intern(facet, value);
                self.ordinals.push(ordinal);
            }
            let found_over_all = match descriptor.name {
                "theme" => theme,
                "thread" => thread,
                _ => None,
            };
            if let Some(value) = found_over_all {
                let ordinal = self.intern(facet, value.to_string());
                self.ordinals.push(ordinal);
            }
        }
        self.ordinal_starts.push(self.ordinals.len() as u32);
    }

    /// The facet value ordinals of the document at `position`.
    fn ordinals_of(&self, position: usize) -> &[u32] {
        let start = self.ordinal_starts[position] as usize;
        let end = self.ordinal_starts[position + 1] as usize;
        &self.ordinals[start..end]
    }

    /// The values of facet `name` of the document at `position` (empty for an unknown facet).
    pub(super) fn values_of_document(&self, position: usize, name: &str) -> Vec<&str> {
        let Some(index) = facet_index(name) else {
            return Vec::new();
        };
        self.ordinals_of(position)
            .iter()
            .map(|&ordinal| &self.values[ordinal as usize])
            .filter(|value| value.facet == index)
            .map(|value| value.value.as_str())
            .collect()
    }

    /// The ordinal of a facet value, numbering it when new.
    fn intern(&mut self, facet: usize, value: String) -> u32 {
        if let Some(&ordinal) = self.ordinal_of.get(&(facet, value.clone())) {
            return ordinal;
        }
        let ordinal = self.values.len() as u32;
        self.facet_of_ordinal.push(facet as u8);
        self.values.push(FacetValue {
            facet,
            value: value.clone(),
        });
        self.ordinal_of.insert((facet, value), ordinal);
        ordinal
    }
}

/// What a request asks of the facet counts.
pub(super) struct FacetListing<'a> {
    /// Selected facet values by facet name.
    pub filters: &'a BTreeMap<String, Vec<String>>,
    /// Values listed per facet (0: [`DEFAULT_FACET_SIZE`]).
    pub facet_size: usize,
    /// Whether the `month` histogram is asked for (`histogram=month`).
    pub month_histogram: bool,
}

/// Facet counts and what the capped lists leave out.
#[derive(Default)]
pub(super) struct FacetCounts {
    pub listed: BTreeMap<String, Vec<FacetCount>>,
    pub other: BTreeMap<String, OtherFacetValues>,
}

/// The selections of a request as bits: every facet with a selection, and per value ordinal
/// the bit of its facet when the value is selected.
struct SelectionBits {
    facets_with_selection: u32,
    bit_of_value: Vec<u32>,
}

impl SelectionBits {
    fn of(ordinals: &FacetOrdinals, filters: &BTreeMap<String, Vec<String>>) -> SelectionBits {
        let mut bits = SelectionBits {
            facets_with_selection: 0,
            bit_of_value: vec![0u32; ordinals.values.len()],
        };
        for (name, selected) in filters {
            let Some(index) = facet_index(name) else {
                continue;
            };
            if selected.is_empty() {
                continue;
            }
            bits.facets_with_selection |= 1 << index;
            for value in selected {
                if let Some(&ordinal) = ordinals.ordinal_of.get(&(index, value.clone())) {
                    bits.bit_of_value[ordinal as usize] = 1 << index;
                }
            }
        }
        bits
    }

    /// Which selections each document of `positions` fails, once per document (bit i is
    /// `FACETS[i]`; 0: it passes every selection).
    fn failed_by(&self, ordinals: &FacetOrdinals, positions: &[usize]) -> Vec<u32> {
        positions
            .iter()
            .map(|&position| {
                let mut passed = 0u32;
                for &ordinal in ordinals.ordinals_of(position) {
                    passed |= self.bit_of_value[ordinal as usize];
                }
                self.facets_with_selection & !passed
            })
            .collect()
    }
}

/// Facet counts: for each facet, over documents passing every other facet's selection. Lists
/// are cut to the request's facet size (selected values always kept); histograms are whole.
/// Also returns, for each document of `positions`, the bit mask of the facet selections it
/// fails (bit i is `FACETS[i]`; 0: it passes every filter).
pub(super) fn count_facets(
    ordinals: &FacetOrdinals,
    positions: &[usize],
    listing: &FacetListing,
) -> (FacetCounts, Vec<u32>) {
    let filters = listing.filters;
    let facet_size = if listing.facet_size == 0 {
        DEFAULT_FACET_SIZE
    } else {
        listing.facet_size
    };
    let failed = SelectionBits::of(ordinals, filters).failed_by(ordinals, positions);
    let counts = count_values(ordinals, positions, &failed);
    let mut facets = FacetCounts::default();
    for (descriptor, counts) in FACETS.iter().zip(counts_by_facet(ordinals, &counts)) {
        let asked = listing.month_histogram || filters.contains_key(descriptor.name);
        if descriptor.only_when_asked && !asked {
            continue;
        }
        let selected = filters.get(descriptor.name).cloned().unwrap_or_default();
        list_facet(&mut facets, descriptor, counts, &selected, facet_size);
    }
    (facets, failed)
}

/// One pass over the documents, counting (per value ordinal) every value of every facet whose
/// only failed selection (if any) is its own.
fn count_values(ordinals: &FacetOrdinals, positions: &[usize], failed: &[u32]) -> Vec<usize> {
    let mut counts = vec![0usize; ordinals.values.len()];
    for (&position, &mask) in positions.iter().zip(failed) {
        for &ordinal in ordinals.ordinals_of(position) {
            let facet = ordinals.facet_of_ordinal[ordinal as usize];
            if mask & !(1u32 << facet) == 0 {
                counts[ordinal as usize] += 1;
            }
        }
    }
    counts
}

/// The counted values (value, count) of each facet, in the order of [`FACETS`].
fn counts_by_facet<'a>(
    ordinals: &'a FacetOrdinals,
    counts: &[usize],
) -> Vec<Vec<(&'a str, usize)>> {
    let mut counts_by_facet: Vec<Vec<(&str, usize)>> = vec![Vec::new(); FACETS.len()];
    for (value, &count) in ordinals.values.iter().zip(counts) {
        if count > 0 {
            counts_by_facet[value.facet].push((value.value.as_str(), count));
        }
    }
    counts_by_facet
}

/// Lists one facet's counts in `facets`: a histogram whole and newest first; any other facet
/// cut to `facet_size` values (selected values always kept), most documents first.
fn list_facet(
    facets: &mut FacetCounts,
    descriptor: &FacetDescriptor,
    counts: Vec<(&str, usize)>,
    selected: &[String],
    facet_size: usize,
) {
    let name = descriptor.name;
    let mut listed: Vec<FacetCount> = counts
        .into_iter()
        .map(|(value, count)| FacetCount {
            value: value.to_string(),
            label: facet_label(descriptor, value),
            count,
            selected: selected.iter().any(|s| s == value),
        })
        .collect();
    // Selected values stay listed even with a zero count.
    for value in selected {
        if !listed.iter().any(|facet| &facet.value == value) {
            listed.push(FacetCount {
                value: value.clone(),
                label: facet_label(descriptor, value),
                count: 0,
                selected: true,
            });
        }
    }
    if descriptor.histogram {
        listed.sort_by(|a, b| b.value.cmp(&a.value));
        facets.listed.insert(name.to_string(), listed);
        return;
    }
    // Selected values first so the cut never drops them, then by count.
    listed.sort_by(|a, b| {
        b.selected
            .cmp(&a.selected)
            .then_with(|| b.count.cmp(&a.count))
            .then_with(|| a.value.cmp(&b.value))
    });
    let keep = facet_size.max(selected.len());
    if listed.len() > keep {
        let left_out = listed.split_off(keep);
        facets.other.insert(
            name.to_string(),
            OtherFacetValues {
                values: left_out.len(),
                count: left_out.iter().map(|facet| facet.count).sum(),
            },
        );
    }
    listed.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
    facets.listed.insert(name.to_string(), listed);
}

/// With selections in two or more of the facets with a [`FacetDescriptor::record_field`], a
/// document failing two of them is neither a result nor counted in any facet (each facet is
/// counted with only its own selection left out). The query is narrowed to records passing
/// all but one of those selections, so that matching skips the others: with a publisher and a
/// year selected, about a tenth of the pages is scored. Scores are unchanged (the narrowing
/// clause scores 0); facet counting in [`count_facets`] stays exact.
pub(super) fn narrow_to_countable(
    query: Box<dyn Query>,
    fields: &Fields,
    filters: &BTreeMap<String, Vec<String>>,
) -> Box<dyn Query> {
    let mut selections: Vec<Box<dyn Query>> = Vec::new();
    for (name, values) in filters {
        let Some(field) = record_field_of_facet(fields, name) else {
            continue;
        };
        if values.is_empty() {
            continue;
        }
        let terms: Vec<Box<dyn Query>> = values
            .iter()
            .map(|value| {
                Box::new(TermQuery::new(
                    Term::from_field_text(field, value),
                    IndexRecordOption::Basic,
                )) as Box<dyn Query>
            })
            .collect();
        selections.push(Box::new(BooleanQuery::union(terms)));
    }
    if selections.len() < 2 {
        return query;
    }
    let required = selections.len() - 1;
    let passes_all_but_one =
        BooleanQuery::union_with_minimum_required_clauses(selections, required);
    Box::new(BooleanQuery::new(vec![
        (Occur::Must, query),
        (
            Occur::Must,
            Box::new(ConstScoreQuery::new(Box::new(passes_all_but_one), 0.0)),
        ),
    ]))
}
