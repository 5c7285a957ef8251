//! Inventory lists (inventarislijsten, productierapporten) in xlsx or csv -> one
//! [`InventoryRow`] per listed document: its number, title, date, judgement and grounds.
//!
//! Ministries name the columns in many ways; [`column_of_header`] reads a header
//! case-, whitespace-, punctuation- and number-prefix-insensitively (`01 Document`,
//! `Beoordelingsgrond(en)`, `groundsOfRefusal`). A table is an inventory when one of its first
//! rows holds a judgement column and an id or title column; that row is the header.
//!
//! Rows without a PDF become entries of their own ([`row_document`]). How rows are linked to
//! PDFs is [`link`] (see the README, "Inventory lists").

use std::path::{Path, PathBuf};

use calamine::Reader;
use sha2::{Digest, Sha256};

pub mod link;

use crate::error::{IndexerError, Result};
use woo_core::dates;
use woo_core::model::Document;
use woo_core::woo;
use woo_core::DocumentFields;

/// Rows searched for the header row.
const HEADER_SEARCH_ROWS: usize = 10;

/// One document listed in an inventory.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct InventoryRow {
    /// Document number (`ID`, `Documentnummer`, `Nr`).
    pub id: Option<String>,
    /// Title or e-mail subject (`Document`, `Onderwerp`, `Titel`).
    pub title: Option<String>,
    /// Date, `YYYY-MM-DD`.
    pub date: Option<String>,
    /// Judgement, normalised (`deels openbaar`).
    pub judgement: Option<String>,
    /// Refusal grounds, normalised Woo codes (`5.1.2e`).
    pub grounds: Vec<String>,
    /// Explanation (`Toelichting`).
    pub explanation: Option<String>,
    /// Family id (attachments of one e-mail share it).
    pub family_id: Option<String>,
    /// E-mail thread id.
    pub thread_id: Option<String>,
    /// Public link (`Publieke link`): where an already public document can be found.
    pub public_link: Option<String>,
    /// File name of the document (`fileName`, `Bestandsnaam`).
    pub file_name: Option<String>,
    /// Document type (`Documentsoort`, `annexType`).
    pub document_type: Option<String>,
}

/// An inventory file with its rows.
#[derive(Debug, Clone, Default)]
pub struct Inventory {
    /// The file.
    pub path: PathBuf,
    /// Its rows, in order.
    pub rows: Vec<InventoryRow>,
}

/// The columns an inventory may have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InventoryColumn {
    /// Document number.
    Id,
    /// Title or subject.
    Title,
    /// Date.
    Date,
    /// Judgement.
    Judgement,
    /// Refusal grounds.
    Grounds,
    /// Explanation.
    Explanation,
    /// Family id.
    FamilyId,
    /// E-mail thread id.
    ThreadId,
    /// Public link.
    PublicLink,
    /// File name.
    FileName,
    /// Document type.
    DocumentType,
}

/// The column a header names, or `None`. Case, spaces, punctuation and a number prefix
/// (`01 Document`) are ignored.
pub fn column_of_header(header: &str) -> Option<InventoryColumn> {
    let lowered = header.trim().to_lowercase();
    let without_number =
        lowered.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.' || c == ' ');
    let key: String = without_number
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect();
    let column = match key.as_str() {
        "id" | "documentid" | "documentnummer" | "documentnr" | "docnr" | "nr" | "nummer"
        | "identifier" | "volgnummer" => InventoryColumn::Id,
        "document" | "onderwerp" | "titel" | "title" | "documentnaam" | "omschrijving"
        | "naamdocument" | "documenttitel" => InventoryColumn::Title,
        "datum" | "date" | "documentdatum" => InventoryColumn::Date,
        "beoordeling" | "valuation" | "oordeel" | "besluit" | "status" => {
            InventoryColumn::Judgement
        }
        "beoordelingsgrond"
        | "beoordelingsgronden"
        | "weigeringsgrond"
        | "weigeringsgronden"
        | "groundsofrefusal"
        | "grond"
        | "gronden"
        | "wettelijkegrond"
        | "wobgrond"
        | "wobgronden"
        | "woogrond"
        | "woogronden" => InventoryColumn::Grounds,
        "toelichting" | "opmerking" | "opmerkingen" => InventoryColumn::Explanation,
        "familie" | "familyid" | "family" | "familieid" => InventoryColumn::FamilyId,
        "emailthreadid" | "threadid" | "emailthread" => InventoryColumn::ThreadId,
        "publiekelink" | "link" | "vindplaats" => InventoryColumn::PublicLink,
        "filename" | "bestandsnaam" | "bestand" => InventoryColumn::FileName,
        "documentsoort" | "soortdocument" | "annextype" => InventoryColumn::DocumentType,
        _ => return None,
    };
    Some(column)
}

/// A cell value that means "nothing": empty, `NaN`, `-`, `n.v.t.`.
fn cell_value(cell: &str) -> Option<String> {
    let trimmed = cell.trim();
    let lowered = trimmed.to_lowercase();
    if trimmed.is_empty()
        || matches!(
            lowered.as_str(),
            "nan" | "-" | "n.v.t." | "nvt" | "none" | "null"
        )
    {
        return None;
    }
    Some(trimmed.to_string())
}

/// Grounds in a cell: `5.1.1c; 5.1.2e`, `[10.2.e]`, `5.1.2e, 5.1.2i`, normalised; unknown
/// values kept as written.
pub fn grounds_of_cell(cell: &str) -> Vec<String> {
    let mut grounds = Vec::new();
    for part in cell.split([';', ',', '[', ']', '|', '\n', '/']) {
        let Some(value) = cell_value(part.trim_matches(['\'', '"', ' '])) else {
            continue;
        };
        let ground = woo::normalise_ground(&value).unwrap_or(value);
        if !grounds.contains(&ground) {
            grounds.push(ground);
        }
    }
    grounds
}

/// A date cell as `YYYY-MM-DD`: ISO, `DD-MM-YYYY`, US `M/D/YYYY` when the day is over 12, or an
/// Excel serial number.
pub fn date_of_cell(cell: &str) -> Option<String> {
    let value = cell_value(&cell.replace(['\u{2010}', '\u{2011}', '\u{2013}'], "-"))?;
    if let Some(date) = dates::normalise_date(&value) {
        return Some(date);
    }
    let parts: Vec<&str> = value.split(' ').next()?.split('/').collect();
    if parts.len() == 3 {
        let swapped = format!("{}/{}/{}", parts[1], parts[0], parts[2]);
        if let Some(date) = dates::normalise_date(&swapped) {
            return Some(date);
        }
    }
    let serial: f64 = value.parse().ok()?;
    // Serial numbers before 1960 (21916) are not inventory dates but numbers in a date column.
    if !(21_916.0..200_000.0).contains(&serial) {
        return None;
    }
    dates::excel_serial_to_iso(serial)
}

/// Rows of a table (header included) -> inventory rows; `None` when no header row in the first
/// rows has a judgement column and an id or title column.
pub fn rows_of_table(table: &[Vec<String>]) -> Option<Vec<InventoryRow>> {
    let mut header: Option<(usize, Vec<Option<InventoryColumn>>)> = None;
    for (index, row) in table.iter().take(HEADER_SEARCH_ROWS).enumerate() {
        let columns: Vec<Option<InventoryColumn>> =
            row.iter().map(|cell| column_of_header(cell)).collect();
        let has = |wanted: InventoryColumn| columns.contains(&Some(wanted));
        if has(InventoryColumn::Judgement)
            && (has(InventoryColumn::Id) || has(InventoryColumn::Title))
        {
            header = Some((index, columns));
            break;
        }
    }
    let (header_index, columns) = header?;
    let mut rows = Vec::new();
    for cells in table.iter().skip(header_index + 1) {
        let cells = aligned_cells(cells, columns.len());
        let mut row = InventoryRow::default();
        for (column, cell) in columns.iter().zip(&cells) {
            let Some(column) = column else {
                continue;
            };
            let value = cell_value(cell);
            match column {
                InventoryColumn::Id => row.id = row.id.take().or(value),
                InventoryColumn::Title => row.title = row.title.take().or(value),
                InventoryColumn::Date => row.date = row.date.take().or_else(|| date_of_cell(cell)),
                InventoryColumn::Judgement => {
                    row.judgement = row.judgement.take().or_else(|| {
                        value.map(|value| {
                            woo::normalise_judgement(&value)
                                .map(str::to_string)
                                .unwrap_or_else(|| value.to_lowercase())
                        })
                    })
                }
                InventoryColumn::Grounds => {
                    for ground in grounds_of_cell(cell) {
                        if !row.grounds.contains(&ground) {
                            row.grounds.push(ground);
                        }
                    }
                }
                InventoryColumn::Explanation => row.explanation = row.explanation.take().or(value),
                InventoryColumn::FamilyId => row.family_id = row.family_id.take().or(value),
                InventoryColumn::ThreadId => row.thread_id = row.thread_id.take().or(value),
                InventoryColumn::PublicLink => row.public_link = row.public_link.take().or(value),
                InventoryColumn::FileName => row.file_name = row.file_name.take().or(value),
                InventoryColumn::DocumentType => {
                    row.document_type = row.document_type.take().or(value)
                }
            }
        }
        if row.id.is_some() || row.title.is_some() {
            rows.push(row);
        }
    }
    Some(rows)
}

use woo_core::model::TableWord;

/// A gap at least this share of the font size between two words on a line separates cells.
const CELL_GAP: f32 = 1.0;

/// The cells of a line: runs of words separated by less than [`CELL_GAP`] font sizes.
fn cells_of_line(line: &woo_core::model::TableLine) -> Vec<TableWord> {
    let mut cells: Vec<TableWord> = Vec::new();
    for word in &line.words {
        match cells.last_mut() {
            Some(cell) if word.x - cell.x_end < CELL_GAP * word.size.max(cell.size).max(0.1) => {
                cell.text.push(' ');
                cell.text.push_str(&word.text);
                cell.x_end = cell.x_end.max(word.x_end);
            }
            _ => cells.push(word.clone()),
        }
    }
    cells
}

/// Cells whose text is longer than this cannot be a document number.
const MAX_ID_LENGTH: usize = 24;

/// Whether a cell may be a document number: short, with a digit, at most two words.
fn looks_like_document_number(text: &str) -> bool {
    let text = text.trim();
    text.chars().count() <= MAX_ID_LENGTH
        && text.chars().any(|c| c.is_ascii_digit())
        && text.split_whitespace().count() <= 2
}

/// The header of a table found on a PDF page: each header cell's column and left edge.
#[derive(Debug, Clone)]
struct PdfTableHeader {
    texts: Vec<String>,
    columns: Vec<Option<InventoryColumn>>,
    lefts: Vec<f32>,
}

impl PdfTableHeader {
    /// The header line: cells naming a judgement column and an id or title column. A cell that
    /// names no column but whose words each do (`Nr. Document(naam)` set close together) is
    /// split into its words.
    fn of_line(line: &woo_core::model::TableLine) -> Option<PdfTableHeader> {
        let mut cells: Vec<TableWord> = Vec::new();
        for cell in cells_of_line(line) {
            if column_of_header(&cell.text).is_some() {
                cells.push(cell);
                continue;
            }
            let words: Vec<&TableWord> = line
                .words
                .iter()
                .filter(|word| word.x >= cell.x && word.x_end <= cell.x_end)
                .collect();
            if words.len() > 1
                && words
                    .iter()
                    .all(|word| column_of_header(&word.text).is_some())
            {
                cells.extend(words.into_iter().cloned());
            } else {
                cells.push(cell);
            }
        }
        let columns: Vec<Option<InventoryColumn>> = cells
            .iter()
            .map(|cell| column_of_header(&cell.text))
            .collect();
        let has = |wanted: InventoryColumn| columns.contains(&Some(wanted));
        if !(has(InventoryColumn::Judgement)
            && (has(InventoryColumn::Id) || has(InventoryColumn::Title)))
        {
            return None;
        }
        Some(PdfTableHeader {
            texts: cells.iter().map(|cell| cell.text.clone()).collect(),
            columns,
            lefts: cells.iter().map(|cell| cell.x).collect(),
        })
    }

    /// The column a cell belongs to: the one whose span `[left, next left)` it overlaps most.
    fn column_of_cell(&self, cell: &TableWord) -> usize {
        let mut best = (0usize, f32::MIN);
        for index in 0..self.lefts.len() {
            let start = if index == 0 {
                f32::MIN
            } else {
                self.lefts[index] - 2.0
            };
            let end = self
                .lefts
                .get(index + 1)
                .map_or(f32::MAX, |next| next - 2.0);
            let overlap = cell.x_end.min(end) - cell.x.max(start);
            if overlap > best.1 {
                best = (index, overlap);
            }
        }
        best.0
    }

    fn id_column(&self) -> Option<usize> {
        self.columns
            .iter()
            .position(|column| *column == Some(InventoryColumn::Id))
    }
}

/// Reads inventory rows from the tables on a PDF's pages (see
/// [`woo_core::model::ExtractedPage::table_lines`]): a header line names the columns, each line
/// whose number cell holds a document number starts a row, and lines without one continue the
/// row above (a title wrapped over two lines). A page without a header continues the table of
/// the page before. Empty when no page has an inventory header.
pub fn rows_of_pdf_pages(pages: &[woo_core::model::ExtractedPage]) -> Vec<InventoryRow> {
    let mut table: Vec<Vec<String>> = Vec::new();
    let mut header: Option<PdfTableHeader> = None;
    let mut rows: Vec<InventoryRow> = Vec::new();
    for page in pages {
        let mut in_table = header.is_some();
        for line in &page.table_lines {
            if let Some(found) = PdfTableHeader::of_line(line) {
                if let Some(previous) = header.take() {
                    rows.extend(finish_pdf_table(&previous, &mut table));
                }
                header = Some(found);
                in_table = true;
                continue;
            }
            let Some(current) = header.as_ref() else {
                continue;
            };
            if !in_table || line.words.is_empty() {
                continue;
            }
            let mut cells = vec![String::new(); current.lefts.len()];
            for cell in &cells_of_line(line) {
                let column = current.column_of_cell(cell);
                if !cells[column].is_empty() {
                    cells[column].push(' ');
                }
                cells[column].push_str(&cell.text);
            }
            let starts_row = match current.id_column() {
                Some(id_column) => {
                    let id_cell = &cells[id_column];
                    if !id_cell.is_empty() && !looks_like_document_number(id_cell) {
                        // Text below the table (a note) in the number column: the table ended.
                        in_table = false;
                        continue;
                    }
                    !id_cell.is_empty()
                }
                None => current
                    .columns
                    .iter()
                    .position(|column| *column == Some(InventoryColumn::Judgement))
                    .is_some_and(|judgement| woo::normalise_judgement(&cells[judgement]).is_some()),
            };
            match table.last_mut() {
                Some(row) if !starts_row => {
                    for (existing, addition) in row.iter_mut().zip(cells) {
                        if addition.is_empty() {
                            continue;
                        }
                        if !existing.is_empty() {
                            existing.push(' ');
                        }
                        existing.push_str(&addition);
                    }
                }
                _ if starts_row => table.push(cells),
                _ => {}
            }
        }
    }
    if let Some(last) = header {
        rows.extend(finish_pdf_table(&last, &mut table));
    }
    rows
}

fn finish_pdf_table(header: &PdfTableHeader, table: &mut Vec<Vec<String>>) -> Vec<InventoryRow> {
    let mut with_header = vec![header.texts.clone()];
    with_header.append(table);
    rows_of_table(&with_header).unwrap_or_default()
}

/// A csv row with more cells than the header (an unquoted comma in a free-text cell) is read
/// with its first half of columns from the left and the rest from the right.
fn aligned_cells(cells: &[String], header_width: usize) -> Vec<String> {
    if cells.len() <= header_width {
        return cells.to_vec();
    }
    let extra = cells.len() - header_width;
    (0..header_width)
        .map(|index| {
            if index < header_width / 2 {
                cells[index].clone()
            } else {
                cells[index + extra].clone()
            }
        })
        .collect()
}

fn inventory_error(path: &Path, reason: String) -> IndexerError {
    IndexerError::Inventory {
        path: path.to_path_buf(),
        reason,
    }
}

/// Reads a csv table (separator `,` or `;`, whichever the header line has more of).
pub fn read_csv_table(path: &Path) -> Result<Vec<Vec<String>>> {
    let bytes = std::fs::read(path).map_err(|source| IndexerError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    crate::readers::sheet::csv_rows(&bytes).map_err(|reason| inventory_error(path, reason))
}

/// Reads the first worksheet of an xlsx file that looks like an inventory, as text cells.
fn read_xlsx_tables(path: &Path) -> Result<Vec<Vec<Vec<String>>>> {
    let bytes = std::fs::read(path).map_err(|source| IndexerError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    xlsx_tables_of_bytes(path, &bytes)
}

/// Every worksheet of the xlsx file in `bytes` as text cells; `path` only names it in errors.
///
/// calamine can panic on hostile workbooks (fuzzing found an integer overflow on a huge row
/// number in calamine 0.28, `fuzz/regressions/`): a panic is reported as this file's error.
pub fn xlsx_tables_of_bytes(path: &Path, bytes: &[u8]) -> Result<Vec<Vec<Vec<String>>>> {
    let read = std::panic::catch_unwind(|| read_xlsx_tables_unguarded(path, bytes));
    match read {
        Ok(result) => result,
        Err(_) => Err(inventory_error(
            path,
            "the xlsx reader crashed on this workbook (damaged or hostile file)".to_string(),
        )),
    }
}

fn read_xlsx_tables_unguarded(path: &Path, bytes: &[u8]) -> Result<Vec<Vec<Vec<String>>>> {
    let mut workbook = calamine::Xlsx::new(std::io::Cursor::new(bytes))
        .map_err(|error: calamine::XlsxError| inventory_error(path, error.to_string()))?;
    let mut tables = Vec::new();
    for name in workbook.sheet_names() {
        let range = workbook
            .worksheet_range(&name)
            .map_err(|error| inventory_error(path, format!("sheet {name:?}: {error}")))?;
        let mut table = Vec::new();
        for row in range.rows() {
            table.push(row.iter().map(cell_text).collect());
        }
        tables.push(table);
    }
    Ok(tables)
}

/// A cell as text; Excel dates as their serial number (read by [`date_of_cell`]).
fn cell_text(cell: &calamine::Data) -> String {
    match cell {
        calamine::Data::DateTime(date_time) => date_time.as_f64().to_string(),
        calamine::Data::Float(number) if number.fract() == 0.0 => format!("{number:.0}"),
        other => other.to_string(),
    }
}

/// Reads an inventory from an `.xlsx` or `.csv` file; `Ok(None)` when the file is not an
/// inventory (no inventory header found).
pub fn read_inventory(path: &Path) -> Result<Option<Inventory>> {
    let extension = path
        .extension()
        .and_then(|extension| extension.to_str())
        .unwrap_or_default()
        .to_lowercase();
    let tables = match extension.as_str() {
        "csv" => vec![read_csv_table(path)?],
        "xlsx" => read_xlsx_tables(path)?,
        _ => return Ok(None),
    };
    for table in tables {
        if let Some(rows) = rows_of_table(&table) {
            return Ok(Some(Inventory {
                path: path.to_path_buf(),
                rows,
            }));
        }
    }
    Ok(None)
}

/// `*.xlsx` and `*.csv` files (not complaint records) may be inventory lists.
pub fn is_inventory_candidate(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|name| name.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    (name.ends_with(".xlsx") || name.ends_with(".csv")) && !name.ends_with(".klachten.csv")
}

/// Whether a PDF's name says it is an inventory list (`Inventarisatielijst …`, `inventaris.pdf`).
pub fn is_inventory_pdf_name(path: &Path) -> bool {
    path.file_name()
        .map(|name| name.to_string_lossy().to_lowercase())
        .is_some_and(|name| name.contains("inventar"))
}

/// An inventory row linked to a PDF, with the publication the inventory stands for.
#[derive(Debug, Clone)]
pub struct LinkedRow {
    /// The row.
    pub row: InventoryRow,
    /// Publication id given to documents of the inventory that have none.
    pub publication_id: String,
    /// Publication title given with it.
    pub publication_title: String,
}

/// Document type of a row without a PDF.
pub const INVENTORY_ROW_TYPE: &str = "inventarisregel";

/// `id`, or `id-2`, `id-3`… when an inventory lists one number twice (two tables of one file).
pub fn unique_id(id: &str, used: &mut std::collections::HashSet<String>) -> String {
    let mut candidate = id.to_string();
    let mut count = 1;
    while !used.insert(candidate.clone()) {
        count += 1;
        candidate = format!("{id}-{count}");
    }
    candidate
}

/// The searchable entry of a row without a PDF: no pages, type [`INVENTORY_ROW_TYPE`].
pub fn row_document(
    row: &InventoryRow,
    index: usize,
    source: &str,
    publication_id: &str,
    publication_title: &str,
) -> Document {
    let row_number = row
        .id
        .clone()
        .unwrap_or_else(|| format!("rij-{}", index + 1));
    let row_json = serde_json::to_string(row).unwrap_or_default();
    let hash = woo_core::ids::hex(&Sha256::digest(row_json.as_bytes()));
    let mut summary_parts: Vec<String> = Vec::new();
    summary_parts.extend(row.explanation.clone());
    summary_parts.extend(row.public_link.clone());
    Document {
        fields: DocumentFields {
            id: format!("{publication_id}-{row_number}"),
            title: row
                .title
                .clone()
                .unwrap_or_else(|| format!("Inventarisregel {row_number}")),
            source: format!("{source}#{row_number}"),
            file_path: String::new(),
            content_hash: hash,
            publication_id: Some(publication_id.to_string()),
            publication_title: Some(publication_title.to_string()),
            document_type: Some(INVENTORY_ROW_TYPE.to_string()),
            date: row.date.clone(),
            judgement: row.judgement.clone(),
            summary: (!summary_parts.is_empty()).then(|| summary_parts.join(" ")),
            references: row.id.iter().cloned().collect(),
            ..Default::default()
        },
        grounds: row.grounds.clone(),
        ..Document::default()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn fuzz_regression_xlsx_row_number_overflow_is_an_error_not_a_crash() {
        // Found by `fuzz/run.sh extract_xlsx`: calamine 0.28 multiplies a huge row number
        // and overflows (a panic in builds with overflow checks).
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../fuzz/regressions/extract_xlsx-row-number-overflow.xlsx");
        let bytes = std::fs::read(&path).unwrap();
        let outcome = super::xlsx_tables_of_bytes(&path, &bytes);
        if let Ok(tables) = outcome {
            for table in &tables {
                let _ = super::rows_of_table(table);
            }
        }
    }

    use super::*;

    fn table(rows: &[&[&str]]) -> Vec<Vec<String>> {
        rows.iter()
            .map(|row| row.iter().map(|cell| cell.to_string()).collect())
            .collect()
    }

    #[test]
    fn header_variants_are_recognised() {
        assert_eq!(
            column_of_header("01 Document"),
            Some(InventoryColumn::Title)
        );
        assert_eq!(column_of_header(" ID "), Some(InventoryColumn::Id));
        assert_eq!(
            column_of_header("Documentnummer"),
            Some(InventoryColumn::Id)
        );
        assert_eq!(
            column_of_header("Beoordelingsgrond(en)"),
            Some(InventoryColumn::Grounds)
        );
        assert_eq!(
            column_of_header("Weigeringsgronden"),
            Some(InventoryColumn::Grounds)
        );
        assert_eq!(
            column_of_header("groundsOfRefusal"),
            Some(InventoryColumn::Grounds)
        );
        assert_eq!(
            column_of_header("Email Thread ID"),
            Some(InventoryColumn::ThreadId)
        );
        assert_eq!(
            column_of_header("Family ID"),
            Some(InventoryColumn::FamilyId)
        );
        assert_eq!(
            column_of_header("Publieke link"),
            Some(InventoryColumn::PublicLink)
        );
        assert_eq!(column_of_header("06 Datum"), Some(InventoryColumn::Date));
        assert_eq!(column_of_header("Matter"), None);
    }

    #[test]
    fn a_table_with_a_title_row_above_the_header_is_read() {
        let rows = rows_of_table(&table(&[
            &["Inventarislijst Woo-besluit", "", "", "", ""],
            &["Nr", "Document", "Datum", "Beoordeling", "Weigeringsgrond"],
            &[
                "0001",
                "E-mail over levering",
                "02-03-2021",
                "Deels openbaar",
                "5.1.2e; 5.1.2.i",
            ],
            &["0005", "Offerte", "4/23/2021", "Niet openbaar", "[10.2.e]"],
            &["", "", "", "", ""],
        ]))
        .unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].id.as_deref(), Some("0001"));
        assert_eq!(rows[0].date.as_deref(), Some("2021-03-02"));
        assert_eq!(rows[0].judgement.as_deref(), Some("deels openbaar"));
        assert_eq!(rows[0].grounds, vec!["5.1.2e", "5.1.2i"]);
        assert_eq!(rows[1].date.as_deref(), Some("2021-04-23"));
        assert_eq!(rows[1].judgement.as_deref(), Some("niet openbaar"));
        assert_eq!(rows[1].grounds, vec!["5.1.2e"]);
    }

    #[test]
    fn tables_that_are_not_inventories_are_refused() {
        assert_eq!(
            rows_of_table(&table(&[&["naam", "adres"], &["a", "b"]])),
            None
        );
    }

    #[test]
    fn excel_serial_dates_and_empty_cells() {
        assert_eq!(date_of_cell("44256").as_deref(), Some("2021-03-01"));
        assert_eq!(date_of_cell("NaN"), None);
        assert_eq!(grounds_of_cell("NaN"), Vec::<String>::new());
    }

    fn extracted(path: &Path) -> woo_core::model::ExtractedPdf {
        let bytes = std::fs::read(path).unwrap();
        crate::pdf::extract_pdf("test.pdf", &bytes, &crate::pdf::PdfLimits::default()).unwrap()
    }

    #[test]
    fn the_fixture_pdf_inventory_table_is_read() {
        let path =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/vws-mondkapjes/inventaris.pdf");
        let rows = rows_of_pdf_pages(&extracted(&path).pages);
        let ids: Vec<&str> = rows.iter().filter_map(|row| row.id.as_deref()).collect();
        assert_eq!(
            ids,
            vec!["0001", "0002", "0003", "0004", "0005"],
            "{rows:?}"
        );
        assert_eq!(
            rows[1].title.as_deref(),
            Some("Nota financiële afspraken mondkapjesdeal")
        );
        assert_eq!(rows[1].date.as_deref(), Some("2021-03-15"));
        assert_eq!(rows[1].judgement.as_deref(), Some("reeds openbaar"));
        assert_eq!(rows[1].grounds, vec!["5.1.2e", "5.2"]);
        assert_eq!(rows[4].judgement.as_deref(), Some("niet openbaar"));
    }

    #[test]
    fn corpus_pdf_inventory_tables_are_read() {
        let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus");
        if !corpus.is_dir() {
            eprintln!("skipped: ../shared/corpus is not there");
            return;
        }
        let folder = corpus.join("woofairify/documenten");
        let first =
            rows_of_pdf_pages(
                &extracted(&folder.join(
                    "Inventarisatielijst juni juli aug 2021 dossier zonneweide Jaagweg (1).pdf",
                ))
                .pages,
            );
        let second =
            rows_of_pdf_pages(
                &extracted(&folder.join(
                    "Inventarisatielijst sept okt nov dec 2021 dossier zonneweide Jaagweg.pdf",
                ))
                .pages,
            );
        for row in first.iter().chain(&second) {
            println!("{row:?}");
        }
        assert_eq!(first.len(), 9);
        assert_eq!(second.len(), 5);
        assert_eq!(
            second[4].title.as_deref(),
            Some("Agenda BO 18112021 gedeputeerde Stigter en Koggenland zonneweide Jaagweg")
        );
        assert_eq!(second[4].date.as_deref(), Some("2021-11-17"));
        assert_eq!(first[0].grounds, vec!["5.1.2b", "5.1.2e", "5.1.5"]);
    }

    #[test]
    fn corpus_inventories_are_read() {
        let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus");
        if !corpus.is_dir() {
            eprintln!("skipped: ../shared/corpus is not there");
            return;
        }
        let csv = read_inventory(&corpus.join("woofairify/metadata/ZW8-inventarislijst.csv"))
            .unwrap()
            .unwrap();
        assert_eq!(csv.rows.len(), 7);
        assert!(csv
            .rows
            .iter()
            .any(|row| row.judgement.as_deref() == Some("deels openbaar")
                && row.grounds == vec!["5.1.2e"]));
        for name in ["productierapport - mix.xlsx", "inventory-valid.xlsx"] {
            let inventory = read_inventory(&corpus.join("minvws-woo-web/tests").join(name))
                .unwrap()
                .unwrap_or_else(|| panic!("{name} not read as an inventory"));
            assert!(!inventory.rows.is_empty(), "{name}");
            println!(
                "{name}: {} rows, first {:?}",
                inventory.rows.len(),
                inventory.rows[0]
            );
        }
    }
}
