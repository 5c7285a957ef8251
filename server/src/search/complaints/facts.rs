//! [`ComplaintTable`]: what the pattern statistics need of every complaint judgement (category
//! `2l`) of the document table, as small integers, computed once when the table is built: its
//! body, year, whether it is (partly) well-founded, its handling time, the norms it cites and
//! finds violated (bit sets over [`woo_core::complaints::NORMS`]), its subject and its theme.

use std::collections::HashMap;

use woo_core::complaints::{handling_days, is_well_founded, norm_by_any, violated_norms, NORMS};
use woo_core::StoredDocument;

use crate::search::complaints::themes::{find_themes, Themes};

/// The facts of one complaint judgement.
#[derive(Debug, Clone)]
pub struct JudgementFacts {
    /// Position of the judgement in the document table.
    pub position: usize,
    /// Index into [`ComplaintTable::bodies`] (`None`: no publisher).
    pub body: Option<u32>,
    /// The year judged (of `date`).
    pub year: Option<u16>,
    /// `gegrond` or `deels gegrond`.
    pub well_founded: bool,
    /// Days from receipt to judgement.
    pub handling_days: Option<i32>,
    /// Bit `n - 1` set: norm number `n` is cited (by the judgement or a part).
    pub cited_norms: u32,
    /// Bit `n - 1` set: norm number `n` is found violated.
    pub violated_norms: u32,
    /// Index into [`ComplaintTable::subjects`].
    pub subject: Option<u32>,
    /// Index into the themes of [`ComplaintTable::themes`].
    pub theme: Option<u32>,
}

/// [`ComplaintTable::judgement_at`] of a document that is no complaint judgement.
pub const NOT_A_JUDGEMENT: u32 = u32::MAX;

/// The complaint judgements of a document table.
#[derive(Debug, Default)]
pub struct ComplaintTable {
    /// One entry per judgement, in table order.
    pub judgements: Vec<JudgementFacts>,
    /// Table position -> index into `judgements` ([`NOT_A_JUDGEMENT`] for other documents).
    pub judgement_at: Vec<u32>,
    /// The bodies' names.
    pub bodies: Vec<String>,
    /// The subjects.
    pub subjects: Vec<String>,
    /// The recurring themes ([`find_themes`]); members are indexes into `judgements`.
    pub themes: Themes,
}

impl ComplaintTable {
    /// The theme label of the document at table `position`, if it is a judgement in a theme.
    pub fn theme_label_at(&self, position: usize) -> Option<&str> {
        let judgement = self.judgement(position)?;
        let theme = judgement.theme? as usize;
        Some(self.themes.themes[theme].label.as_str())
    }
}

impl ComplaintTable {
    /// The facts of the judgement at table `position` (`None`: not a judgement).
    pub fn judgement(&self, position: usize) -> Option<&JudgementFacts> {
        let index = *self.judgement_at.get(position)?;
        if index == NOT_A_JUDGEMENT {
            return None;
        }
        self.judgements.get(index as usize)
    }
}

/// The cited norms of a document: its own and its parts', as norm names.
pub fn cited_norm_names(stored: &StoredDocument) -> Vec<String> {
    let mut names: Vec<String> = stored.fields.norms.clone();
    for part in &stored.fields.complaint_parts {
        for norm in &part.norms {
            if !names.contains(norm) {
                names.push(norm.clone());
            }
        }
    }
    names
}

/// The bit set of norm names (unknown names are left out).
fn norm_bits(names: &[String]) -> u32 {
    let mut bits = 0u32;
    for name in names {
        if let Some(norm) = norm_by_any(name) {
            bits |= 1 << (norm.number - 1);
        }
    }
    bits
}

/// The text a judgement's theme is found in: subject, part subjects, summary, title.
fn theme_text(stored: &StoredDocument) -> String {
    let fields = &stored.fields;
    let mut text = String::new();
    for piece in [&fields.subject, &fields.summary].into_iter().flatten() {
        text.push_str(piece);
        text.push_str(". ");
    }
    text.push_str(&fields.title);
    text.push_str(". ");
    for part in &fields.complaint_parts {
        if let Some(subject) = &part.subject {
            text.push_str(subject);
            text.push_str(". ");
        }
    }
    text
}

/// The number of the interned `value` in `names`.
fn intern(names: &mut Vec<String>, numbers: &mut HashMap<String, u32>, value: &str) -> u32 {
    if let Some(&number) = numbers.get(value) {
        return number;
    }
    let number = names.len() as u32;
    names.push(value.to_string());
    numbers.insert(value.to_string(), number);
    number
}

/// The complaint table of the documents (in table order): every document of category `2l`.
pub fn build_complaint_table(documents: &[&StoredDocument]) -> ComplaintTable {
    let mut table = ComplaintTable::default();
    let mut body_numbers: HashMap<String, u32> = HashMap::new();
    let mut subject_numbers: HashMap<String, u32> = HashMap::new();
    let mut texts: Vec<String> = Vec::new();
    table.judgement_at = vec![NOT_A_JUDGEMENT; documents.len()];
    for (position, stored) in documents.iter().enumerate() {
        let fields = &stored.fields;
        if fields.category.as_deref() != Some(woo_core::woo::COMPLAINT_CATEGORY) {
            continue;
        }
        let body = fields
            .publisher
            .as_deref()
            .map(|name| intern(&mut table.bodies, &mut body_numbers, name));
        let subject = fields
            .subject
            .as_deref()
            .map(|name| intern(&mut table.subjects, &mut subject_numbers, name));
        let year = fields
            .date
            .as_deref()
            .and_then(|date| date.get(..4))
            .and_then(|year| year.parse().ok());
        let days = handling_days(fields.received_date.as_deref(), fields.date.as_deref());
        table.judgement_at[position] = table.judgements.len() as u32;
        table.judgements.push(JudgementFacts {
            position,
            body,
            year,
            well_founded: fields.outcome.as_deref().is_some_and(is_well_founded),
            handling_days: days.and_then(|days| i32::try_from(days).ok()),
            cited_norms: norm_bits(&cited_norm_names(stored)),
            violated_norms: norm_bits(&violated_norms(fields)),
            subject,
            theme: None,
        });
        texts.push(theme_text(stored));
    }
    table.themes = find_themes(&texts);
    for (judgement, theme) in table.judgements.iter_mut().zip(&table.themes.theme_of_text) {
        judgement.theme = theme.map(|theme| theme as u32);
    }
    debug_assert!(NORMS.len() <= 32);
    table
}
