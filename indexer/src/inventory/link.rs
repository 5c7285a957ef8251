//! Linking inventory rows to the PDFs they describe: a row names its PDF by file name, stem,
//! metadata id or number prefix ([`link_inventory_in`]); a linked PDF gets the row's title,
//! date, judgement and grounds where its own metadata is silent ([`apply_row`]), and the
//! inventory's publication. Rows without a PDF become entries without pages, and a bundle in
//! the inventory's folder may carry them as stamped parts.
//!
//! A run links the xlsx/csv inventories found ([`link_inventory_files`]), then the PDFs named
//! as inventories, whose tables are read before the other PDFs are extracted
//! ([`link_pdf_inventories`]).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::{row_document, unique_id, Inventory, InventoryRow, LinkedRow};
use crate::discover::{Discovery, InputFile};
use crate::document::file_stem_title;
use crate::metadata::DocumentMetadata;
use crate::pdf::PdfLimits;
use crate::report::failure;
use crate::worker::extract_isolated;
use woo_core::ids::default_document_id;
use woo_core::model::Document;

/// What the inventories of the inputs give: rows by the PDF they describe, and documents for
/// the rows without a PDF.
#[derive(Debug, Default)]
pub struct InventoryLinks {
    /// Row of each linked PDF, by the PDF's path.
    pub rows_by_pdf: HashMap<PathBuf, LinkedRow>,
    /// One zero-page document per row without a PDF (type [`super::INVENTORY_ROW_TYPE`]).
    pub unlinked: Vec<Document>,
    /// The rows without a PDF with the folder their inventory describes: a bundle in that
    /// folder may carry them as stamped parts ([`crate::bundle`]).
    pub unlinked_rows: Vec<(PathBuf, LinkedRow)>,
    /// Folders whose inventory linked at least one row to a PDF, with that publication: the
    /// other PDFs there (decision letters, the inventory itself) belong to it too.
    pub publication_scopes: Vec<(PathBuf, String, String)>,
    /// PDFs named as inventories whose table was read and linked before extraction, with the
    /// publication (id, title) they stand for ([`link_pdf_inventories`]).
    pub inventory_pdfs: HashMap<PathBuf, (String, String)>,
}

impl InventoryLinks {
    /// The publication (id, title) of the inventory whose folder holds `pdf`, the outermost
    /// folder first.
    pub fn publication_of(&self, pdf: &Path) -> Option<(String, String)> {
        self.publication_scopes
            .iter()
            .filter(|(scope, _, _)| pdf.starts_with(scope))
            .min_by_key(|(scope, _, _)| scope.components().count())
            .map(|(_, id, title)| (id.clone(), title.clone()))
    }

    /// Rows without a PDF whose inventory describes the folder of `pdf`.
    pub fn unlinked_rows_for(&self, pdf: &Path) -> Vec<&LinkedRow> {
        self.unlinked_rows
            .iter()
            .filter(|(scope, _)| pdf.starts_with(scope))
            .map(|(_, row)| row)
            .collect()
    }
}

/// The folder whose PDFs an inventory describes: its own folder, or the one above when its own
/// holds no PDF (a `metadata/` folder beside `documenten/`).
pub fn inventory_scope(inventory_path: &Path, pdf_paths: &[PathBuf]) -> PathBuf {
    let own = inventory_path
        .parent()
        .unwrap_or(Path::new(""))
        .to_path_buf();
    if pdf_paths.iter().any(|pdf| pdf.starts_with(&own)) {
        return own;
    }
    match own.parent() {
        Some(above) if pdf_paths.iter().any(|pdf| pdf.starts_with(above)) => above.to_path_buf(),
        _ => own,
    }
}

/// Links every row of `inventory` to the one PDF in its scope it names (file name, stem or
/// metadata id equal to the row id; else the only PDF whose name starts with the id); rows
/// without a PDF become zero-page documents. `source` is the inventory's path as shown,
/// `metadata_id` gives a PDF's id from its metadata.
pub fn link_inventory(
    inventory: &Inventory,
    source: &str,
    pdf_paths: &[PathBuf],
    metadata_id: &dyn Fn(&Path) -> Option<String>,
    links: &mut InventoryLinks,
) {
    link_inventory_in(
        inventory,
        source,
        pdf_paths,
        metadata_id,
        None,
        false,
        links,
    );
}

/// [`link_inventory`] with the publication (id, title) given instead of derived from the
/// folder (`publication.json`'s `inventory`, or an inventory table inside a PDF). A PDF table
/// (`from_pdf_table`) often lies among unrelated PDFs, so its row is linked by a number prefix
/// only when the file name also holds the row's title, and the folder's other PDFs do not join
/// its publication.
pub fn link_inventory_in(
    inventory: &Inventory,
    source: &str,
    pdf_paths: &[PathBuf],
    metadata_id: &dyn Fn(&Path) -> Option<String>,
    publication: Option<(String, String)>,
    from_pdf_table: bool,
    links: &mut InventoryLinks,
) {
    let scope = inventory_scope(&inventory.path, pdf_paths);
    let in_scope: Vec<&PathBuf> = pdf_paths
        .iter()
        .filter(|pdf| pdf.starts_with(&scope))
        .collect();
    let scope_name = scope
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_else(|| "inventaris".to_string());
    let scope_source = source.rsplit_once('/').map_or("", |(folder, _)| folder);
    let (publication_id, scope_name) = publication.unwrap_or_else(|| {
        (
            woo_core::ids::default_document_id(&format!("{scope_source}/{scope_name}")),
            scope_name,
        )
    });
    let file_name_of = |pdf: &PathBuf| {
        pdf.file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    let mut linked_any = false;
    let mut used_ids = std::collections::HashSet::new();
    for (index, row) in inventory.rows.iter().enumerate() {
        let exact: Vec<&&PathBuf> = in_scope
            .iter()
            .filter(|pdf| row_names_pdf(row, &file_name_of(pdf), metadata_id(pdf).as_deref()))
            .collect();
        let by_prefix: Vec<&&PathBuf> = in_scope
            .iter()
            .filter(|pdf| pdf_name_starts_with_id(row, &file_name_of(pdf)))
            .collect();
        let linked = match (exact.as_slice(), by_prefix.as_slice()) {
            ([only], _) => Some((**only).clone()),
            ([], [only]) if !from_pdf_table => Some((**only).clone()),
            ([], several) => only_one_named_by_title(row, several, &file_name_of),
            _ => None,
        };
        let linked_row = LinkedRow {
            row: row.clone(),
            publication_id: publication_id.clone(),
            publication_title: scope_name.clone(),
        };
        if let Some(pdf) = linked {
            links.rows_by_pdf.entry(pdf).or_insert(linked_row);
            linked_any = true;
            continue;
        }
        let mut entry = row_document(row, index, source, &publication_id, &scope_name);
        entry.fields.id = unique_id(&entry.fields.id, &mut used_ids);
        links.unlinked.push(entry);
        // Rows of a table inside a PDF name that PDF's publication, not the whole folder's.
        if !from_pdf_table {
            links.unlinked_rows.push((scope.clone(), linked_row));
        }
    }
    if linked_any && !from_pdf_table {
        links
            .publication_scopes
            .push((scope, publication_id, scope_name));
    }
}

/// Among several PDFs whose names start with the row's number (two inventories of one dossier
/// both numbering from 1), the only one whose name also holds the row's title.
fn only_one_named_by_title(
    row: &InventoryRow,
    candidates: &[&&PathBuf],
    file_name_of: &dyn Fn(&PathBuf) -> String,
) -> Option<PathBuf> {
    let title = row.title.as_deref()?.trim().to_lowercase();
    if title.chars().count() < 8 {
        return None;
    }
    let named: Vec<&&&PathBuf> = candidates
        .iter()
        .filter(|pdf| file_name_of(pdf).to_lowercase().contains(&title))
        .collect();
    match named.as_slice() {
        [only] => Some((***only).clone()),
        _ => None,
    }
}

/// Whether an inventory row is the row of a PDF: same file name, the PDF's stem or metadata id
/// equals the row id.
pub fn row_names_pdf(row: &InventoryRow, pdf_file_name: &str, metadata_id: Option<&str>) -> bool {
    if row
        .file_name
        .as_deref()
        .is_some_and(|name| name.eq_ignore_ascii_case(pdf_file_name))
    {
        return true;
    }
    let Some(id) = row.id.as_deref() else {
        return false;
    };
    let stem = pdf_file_name
        .rsplit_once('.')
        .map_or(pdf_file_name, |(stem, _)| stem);
    stem.eq_ignore_ascii_case(id) || metadata_id == Some(id)
}

/// Whether the PDF's file name starts with the row id followed by a separator (`0001 mail.pdf`).
pub fn pdf_name_starts_with_id(row: &InventoryRow, pdf_file_name: &str) -> bool {
    let Some(id) = row.id.as_deref() else {
        return false;
    };
    let Some(rest) = pdf_file_name.strip_prefix(id) else {
        return false;
    };
    rest.starts_with([' ', '_', '-', '.']) && !rest.starts_with(".pdf")
        || rest.eq_ignore_ascii_case(".pdf")
}

/// Fills the metadata of a PDF from its inventory row where the PDF's own metadata is silent.
pub fn apply_row(document: &mut DocumentMetadata, linked: &LinkedRow, has_publication: bool) {
    let row = &linked.row;
    if document
        .title
        .as_deref()
        .is_none_or(|title| title.trim().is_empty())
    {
        document.title = row.title.clone();
    }
    if document.date.is_none() {
        document.date = row.date.clone();
    }
    if document.judgement.is_none() {
        document.judgement = row.judgement.clone();
    }
    if document.grounds.is_empty() {
        document.grounds = row.grounds.clone();
    }
    if document.document_type.is_none() {
        document.document_type = row.document_type.as_deref().map(str::to_lowercase);
    }
    if !has_publication && document.publication_id.is_none() {
        document.publication_id = Some(linked.publication_id.clone());
        document.publication_title = Some(linked.publication_title.clone());
    }
}

/// Reads every inventory candidate of `discovery` and links its rows to the PDFs found; a
/// candidate that cannot be read is added to `discovery.problems`.
pub fn link_inventory_files(discovery: &mut Discovery, links: &mut InventoryLinks) {
    let pdf_paths: Vec<PathBuf> = discovery.pdfs.iter().map(|pdf| pdf.path.clone()).collect();
    let catalog = &discovery.catalog;
    let metadata_id = |pdf: &Path| -> Option<String> {
        catalog.lookup(pdf).and_then(|(_, entry)| entry.id.clone())
    };
    let mut not_inventories = Vec::new();
    for file in &discovery.inventory_files {
        let named = discovery.named_inventories.get(&file.path).cloned();
        match super::read_inventory(&file.path) {
            Ok(Some(found)) => link_inventory_in(
                &found,
                &file.source,
                &pdf_paths,
                &metadata_id,
                named,
                false,
                links,
            ),
            // Not an inventory list: a spreadsheet document of its own (`crate::readers`).
            Ok(None) => not_inventories.push(file.clone()),
            Err(error) => {
                // A spreadsheet that cannot be opened at all is damaged, inventory or not.
                let mut report = failure(&file.path, &file.source, error.to_string());
                report.class = Some(crate::worker::OutcomeClass::Malformed);
                discovery.problems.push(report);
            }
        }
    }
    discovery.pdfs.extend(not_inventories);
}

/// Reads the tables of PDFs named as inventories before the other PDFs are extracted, and links
/// their rows to the PDFs beside them like an xlsx or csv inventory. An inventory PDF inside the
/// folder of another inventory joins that inventory's publication; otherwise it stands for a
/// publication of its own (its own document id). The PDFs are extracted as a run extracts them
/// (`extract_worker`, `limits`, see [`crate::worker`]).
pub fn link_pdf_inventories(
    discovery: &Discovery,
    links: &mut InventoryLinks,
    extract_worker: Option<&PathBuf>,
    limits: &PdfLimits,
) {
    let pdf_paths: Vec<PathBuf> = discovery.pdfs.iter().map(|pdf| pdf.path.clone()).collect();
    let candidates: Vec<&InputFile> = discovery
        .pdfs
        .iter()
        .filter(|pdf| {
            crate::discover::is_pdf_name(&pdf.path)
                && (super::is_inventory_pdf_name(&pdf.path)
                    || discovery.named_inventories.contains_key(&pdf.path))
        })
        .collect();
    let catalog = &discovery.catalog;
    let metadata_id = |path: &Path| -> Option<String> {
        catalog.lookup(path).and_then(|(_, entry)| entry.id.clone())
    };
    for pdf in candidates {
        let Ok(bytes) = std::fs::read(&pdf.path) else {
            continue;
        };
        let answer = extract_isolated(extract_worker, &pdf.source, &bytes, limits);
        let Some(extracted) = answer.pdf else {
            continue;
        };
        let rows = super::rows_of_pdf_pages(&extracted.pages);
        if rows.is_empty() {
            continue;
        }
        let publication = publication_of_inventory_pdf(discovery, links, pdf);
        let found = Inventory {
            path: pdf.path.clone(),
            rows,
        };
        link_inventory_in(
            &found,
            &pdf.source,
            &pdf_paths,
            &metadata_id,
            Some(publication.clone()),
            true,
            links,
        );
        links.inventory_pdfs.insert(pdf.path.clone(), publication);
    }
}

/// The publication (id, title) an inventory PDF stands for: the one a `publication.json` names
/// it the inventory of, else its metadata's, else that of an inventory whose folder holds it,
/// else its own (its document id and file name).
fn publication_of_inventory_pdf(
    discovery: &Discovery,
    links: &InventoryLinks,
    pdf: &InputFile,
) -> (String, String) {
    let own_id = discovery
        .catalog
        .lookup(&pdf.path)
        .and_then(|(_, entry)| entry.id.clone())
        .unwrap_or_else(|| default_document_id(&pdf.source));
    discovery
        .named_inventories
        .get(&pdf.path)
        .cloned()
        .or_else(|| {
            discovery.catalog.lookup(&pdf.path).map(|(publication, _)| {
                (
                    publication.id.clone(),
                    publication.title.clone().unwrap_or_default(),
                )
            })
        })
        .or_else(|| links.publication_of(&pdf.path))
        .unwrap_or_else(|| (own_id, file_stem_title(&pdf.source)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_link_to_pdfs_by_file_name_stem_or_prefix() {
        let row = InventoryRow {
            id: Some("0001".to_string()),
            ..InventoryRow::default()
        };
        assert!(row_names_pdf(&row, "0001.pdf", None));
        assert!(row_names_pdf(&row, "mail.pdf", Some("0001")));
        assert!(!row_names_pdf(&row, "00011.pdf", None));
        assert!(pdf_name_starts_with_id(&row, "0001 e-mail levering.pdf"));
        assert!(!pdf_name_starts_with_id(&row, "00012.pdf"));
    }
}
