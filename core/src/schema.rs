//! Field names and the tantivy schema: the contract between the indexer and the server.
//!
//! The index holds two kinds of records, told apart by [`RECORD`]:
//! - one `document` record per document: title, identifiers, facets and the stored metadata
//!   JSON ([`META`]); it is what browse mode lists and what `GET /api/documents/{id}` returns;
//! - one `page` record per page: the page text (stored, for snippets and the page endpoint),
//!   the page number, and the document's title, identifiers and facets copied, so that a query
//!   matching words of the title and of the page finds the page.
//!
//! Both records of a document share [`DOC_ID`] (deleting that term removes the document) and
//! [`DOC_KEY`], a 64-bit hash of the id used to group page hits into documents.

use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions, FAST, STORED,
    STRING,
};

use crate::analysis::{EXACT_TOKENIZER, PARTS_TOKENIZER, STEMMED_TOKENIZER};

/// Bumped whenever the schema or the analysis changes; an index of another version is refused.
pub const SCHEMA_VERSION: u32 = 5;
/// File in the index directory holding [`SCHEMA_VERSION`].
pub const SCHEMA_VERSION_FILE: &str = "woo-schema-version";

/// `document` or `page`.
pub const RECORD: &str = "record";
/// Stable document id (raw string, stored, fast).
pub const DOC_ID: &str = "doc_id";
/// Hash of the document id (u64 fast field) for grouping.
pub const DOC_KEY: &str = "doc_key";
/// Page number (0 on document records).
pub const PAGE: &str = "page";
/// Page text, stemmed Dutch analysis, stored.
pub const TEXT: &str = "text";
/// Page text, folded but unstemmed (exact matches rank higher).
pub const TEXT_EXACT: &str = "text_exact";
/// Stemmed parts of the compound words of the page text and title (no positions): a query
/// for `klacht` also finds `klachtenregeling`, ranked below exact matches.
pub const TEXT_PARTS: &str = "text_parts";
/// Title, stemmed.
pub const TITLE: &str = "title";
/// Title, unstemmed.
pub const TITLE_EXACT: &str = "title_exact";
/// Identifiers: document id, publication id, reference numbers found in the text.
pub const IDENTIFIERS: &str = "identifiers";
/// Facet: publisher.
pub const PUBLISHER: &str = "publisher";
/// Facet: information category (art. 3.3 letter code).
pub const CATEGORY: &str = "category";
/// Facet: document type.
pub const DOCUMENT_TYPE: &str = "type";
/// Facet: year of the document date.
pub const YEAR: &str = "year";
/// Facet: language (per page on page records; all languages on the document record).
pub const LANGUAGE: &str = "language";
/// Facet: refusal ground (per page on page records; all grounds on the document record).
pub const GROUND: &str = "ground";
/// Facet: judgement.
pub const JUDGEMENT: &str = "judgement";
/// Facet: how the page text was obtained (`text`, `ocr`, `none`).
pub const TEXT_SOURCE: &str = "text_source";
/// Publication id.
pub const PUBLICATION_ID: &str = "publication_id";
/// Document date as days since 1970-01-01 (i64 fast field), for sorting and ranges.
pub const DATE_DAYS: &str = "date_days";
/// Document metadata as JSON (stored on document records only).
pub const META: &str = "meta";
/// Per-page facts as JSON (stored on page records: source, confidence, grounds, language).
pub const PAGE_META: &str = "page_meta";

/// Record kind of a document record.
pub const RECORD_DOCUMENT: &str = "document";
/// Record kind of a page record.
pub const RECORD_PAGE: &str = "page";

/// Every field handle, resolved once.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// See [`RECORD`].
    pub record: Field,
    /// See [`DOC_ID`].
    pub doc_id: Field,
    /// See [`DOC_KEY`].
    pub doc_key: Field,
    /// See [`PAGE`].
    pub page: Field,
    /// See [`TEXT`].
    pub text: Field,
    /// See [`TEXT_EXACT`].
    pub text_exact: Field,
    /// See [`TEXT_PARTS`].
    pub text_parts: Field,
    /// See [`TITLE`].
    pub title: Field,
    /// See [`TITLE_EXACT`].
    pub title_exact: Field,
    /// See [`IDENTIFIERS`].
    pub identifiers: Field,
    /// See [`PUBLISHER`].
    pub publisher: Field,
    /// See [`CATEGORY`].
    pub category: Field,
    /// See [`DOCUMENT_TYPE`].
    pub document_type: Field,
    /// See [`YEAR`].
    pub year: Field,
    /// See [`LANGUAGE`].
    pub language: Field,
    /// See [`GROUND`].
    pub ground: Field,
    /// See [`JUDGEMENT`].
    pub judgement: Field,
    /// See [`TEXT_SOURCE`].
    pub text_source: Field,
    /// See [`PUBLICATION_ID`].
    pub publication_id: Field,
    /// See [`DATE_DAYS`].
    pub date_days: Field,
    /// See [`META`].
    pub meta: Field,
    /// See [`PAGE_META`].
    pub page_meta: Field,
}

impl Fields {
    /// Resolves every field of `schema` (built by [`build_schema`]).
    pub fn from_schema(schema: &Schema) -> tantivy::Result<Fields> {
        Ok(Fields {
            record: schema.get_field(RECORD)?,
            doc_id: schema.get_field(DOC_ID)?,
            doc_key: schema.get_field(DOC_KEY)?,
            page: schema.get_field(PAGE)?,
            text: schema.get_field(TEXT)?,
            text_exact: schema.get_field(TEXT_EXACT)?,
            text_parts: schema.get_field(TEXT_PARTS)?,
            title: schema.get_field(TITLE)?,
            title_exact: schema.get_field(TITLE_EXACT)?,
            identifiers: schema.get_field(IDENTIFIERS)?,
            publisher: schema.get_field(PUBLISHER)?,
            category: schema.get_field(CATEGORY)?,
            document_type: schema.get_field(DOCUMENT_TYPE)?,
            year: schema.get_field(YEAR)?,
            language: schema.get_field(LANGUAGE)?,
            ground: schema.get_field(GROUND)?,
            judgement: schema.get_field(JUDGEMENT)?,
            text_source: schema.get_field(TEXT_SOURCE)?,
            publication_id: schema.get_field(PUBLICATION_ID)?,
            date_days: schema.get_field(DATE_DAYS)?,
            meta: schema.get_field(META)?,
            page_meta: schema.get_field(PAGE_META)?,
        })
    }
}

fn analyzed_text(tokenizer: &str, stored: bool) -> TextOptions {
    let indexing = TextFieldIndexing::default()
        .set_tokenizer(tokenizer)
        .set_index_option(IndexRecordOption::WithFreqsAndPositions);
    let options = TextOptions::default().set_indexing_options(indexing);
    if stored {
        options.set_stored()
    } else {
        options
    }
}

/// Builds the schema described in the module documentation.
pub fn build_schema() -> Schema {
    let mut builder = Schema::builder();
    builder.add_text_field(RECORD, STRING);
    builder.add_text_field(DOC_ID, STRING | STORED | FAST);
    builder.add_u64_field(DOC_KEY, NumericOptions::default().set_fast());
    builder.add_u64_field(
        PAGE,
        NumericOptions::default()
            .set_fast()
            .set_stored()
            .set_indexed(),
    );
    builder.add_text_field(TEXT, analyzed_text(STEMMED_TOKENIZER, true));
    builder.add_text_field(TEXT_EXACT, analyzed_text(EXACT_TOKENIZER, false));
    builder.add_text_field(
        TEXT_PARTS,
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(PARTS_TOKENIZER)
                .set_index_option(IndexRecordOption::WithFreqs),
        ),
    );
    builder.add_text_field(TITLE, analyzed_text(STEMMED_TOKENIZER, true));
    builder.add_text_field(TITLE_EXACT, analyzed_text(EXACT_TOKENIZER, false));
    builder.add_text_field(IDENTIFIERS, analyzed_text(EXACT_TOKENIZER, false));
    for facet in [
        PUBLISHER,
        CATEGORY,
        DOCUMENT_TYPE,
        YEAR,
        LANGUAGE,
        GROUND,
        JUDGEMENT,
        TEXT_SOURCE,
        PUBLICATION_ID,
    ] {
        builder.add_text_field(facet, STRING | FAST);
    }
    builder.add_i64_field(
        DATE_DAYS,
        NumericOptions::default().set_fast().set_indexed(),
    );
    builder.add_text_field(META, STORED);
    builder.add_text_field(PAGE_META, STORED);
    builder.build()
}

/// 64-bit key of a document id (FNV-1a; stable across runs and platforms).
pub fn doc_key(doc_id: &str) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in doc_id.as_bytes() {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_resolves() {
        let schema = build_schema();
        assert!(Fields::from_schema(&schema).is_ok());
    }

    #[test]
    fn doc_key_is_stable() {
        assert_eq!(doc_key("VWS-WOO-2024-0117"), doc_key("VWS-WOO-2024-0117"));
        assert_ne!(doc_key("a"), doc_key("b"));
        assert_eq!(doc_key(""), 0xcbf2_9ce4_8422_2325);
    }
}
