//! Dossiers as structured JSON (the export of the WOO_organizer tool: a released bundle's
//! e-mails and chats taken apart, redactions kept as `[GELAKT: 5.1.2e]`): a `.json` file whose
//! top level holds an `emails` array. Each e-mail (subject, sender, to, cc, date, text) and
//! each chat thread (its messages as `sender: text` lines) becomes a document of its own
//! ([`super::read_attachments`]'s shape, format `e-mail` / `chat`); the dossier's own page
//! counts them. Other JSON (sidecars, `publication.json`, text-page records) is metadata, not
//! a dossier ([`is_dossier_json`]).

use serde_json::Value;

use crate::error::{IndexerError, Result};
use woo_core::model::{ExtractedAttachment, ExtractedPdf, PdfInfo};

/// Largest dossier read, in bytes.
pub const MAX_DOSSIER_BYTES: usize = 256 * 1024 * 1024;

/// Whether `bytes` is a dossier: a JSON object with an `emails` array.
pub fn is_dossier_json(bytes: &[u8]) -> bool {
    serde_json::from_slice::<Value>(bytes)
        .ok()
        .is_some_and(|value| value.get("emails").is_some_and(Value::is_array))
}

/// Reads a dossier: its e-mails and chats as files inside it.
pub fn read_dossier(name: &str, bytes: &[u8]) -> Result<ExtractedPdf> {
    if bytes.len() > MAX_DOSSIER_BYTES {
        return Err(IndexerError::Limit {
            name: name.to_string(),
            reason: format!("dossier larger than {MAX_DOSSIER_BYTES} bytes"),
        });
    }
    let value: Value =
        serde_json::from_slice(bytes).map_err(|error| IndexerError::MalformedFile {
            name: name.to_string(),
            format: "json",
            reason: error.to_string(),
        })?;
    let Some(emails) = value.get("emails").and_then(Value::as_array) else {
        return Err(IndexerError::UnsupportedFormat {
            name: name.to_string(),
            reason: "JSON without an \"emails\" array is not a dossier".to_string(),
        });
    };
    let chats = value
        .get("chats")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let mut attachments = Vec::new();
    for (number, email) in emails.iter().enumerate().take(super::MAX_ATTACHMENTS) {
        attachments.push(email_document(email, number));
    }
    for (number, chat) in chats.iter().enumerate().take(super::MAX_ATTACHMENTS) {
        attachments.push(chat_document(chat, number));
    }
    let listing = format!(
        "Dossier met {} e-mails en {} chats.",
        emails.len(),
        chats.len()
    );
    Ok(ExtractedPdf {
        pages: super::pages_from_paragraphs(&[Some(listing)]),
        attachments,
        ..ExtractedPdf::default()
    })
}

fn text_of(value: &Value, key: &str) -> Option<String> {
    value
        .get(key)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|text| !text.is_empty())
        .map(str::to_string)
}

/// One e-mail of the dossier: its text (with the headers it carries, else ours).
fn email_document(email: &Value, number: usize) -> ExtractedAttachment {
    let id = text_of(email, "id").unwrap_or_else(|| format!("{}", number + 1));
    let subject = text_of(email, "subject");
    let mut text = text_of(email, "text").unwrap_or_default();
    if !text.starts_with("Van:") {
        let mut headers = String::new();
        for (label, key) in [
            ("Van", "sender"),
            ("Aan", "to"),
            ("Cc", "cc"),
            ("Datum", "date"),
            ("Onderwerp", "subject"),
        ] {
            if let Some(value) = text_of(email, key) {
                headers.push_str(&format!("{label}: {value}\n"));
            }
        }
        text = format!("{headers}\n{text}");
    }
    let paragraphs: Vec<Option<String>> = text.split("\n\n").map(|p| Some(p.to_string())).collect();
    ExtractedAttachment {
        name: format!("e-mail {id}"),
        extraction: Some(ExtractedPdf {
            format: Some("e-mail".to_string()),
            info: PdfInfo {
                title: subject,
                author: text_of(email, "sender"),
                creation_date: text_of(email, "date")
                    .and_then(|date| woo_core::dates::normalise_date(&date)),
                ..PdfInfo::default()
            },
            pages: super::pages_from_paragraphs(&paragraphs),
            ..ExtractedPdf::default()
        }),
        error: None,
    }
}

/// One chat thread of the dossier: its messages as `sender: text` lines.
fn chat_document(chat: &Value, number: usize) -> ExtractedAttachment {
    let name = text_of(chat, "chatName")
        .or_else(|| text_of(chat, "threadId"))
        .unwrap_or_else(|| format!("chat {}", number + 1));
    let mut lines = Vec::new();
    for message in chat
        .get("berichten")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let sender = text_of(message, "sender").unwrap_or_default();
        let body = text_of(message, "body").unwrap_or_default();
        lines.push(Some(format!("{sender}: {body}")));
    }
    ExtractedAttachment {
        name: format!("chat {}", number + 1),
        extraction: Some(ExtractedPdf {
            format: Some("chat".to_string()),
            info: PdfInfo {
                title: Some(format!("Chat {name}")),
                ..PdfInfo::default()
            },
            pages: super::pages_from_paragraphs(&lines),
            ..ExtractedPdf::default()
        }),
        error: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn e_mails_and_chats_become_files_of_their_own() {
        let dossier = r#"{"emails": [{"id": "0047.1", "subject": "Nota proactieve dienstverlening", "sender": "[GELAKT: 5.1.2e]", "date": "2023-03-10", "text": "Zou jij naar de nota kijken?"}], "chats": [{"threadId": "t1", "chatName": "SV/G", "berichten": [{"sender": "A", "body": "Internetconsultatie start maandag."}]}]}"#;
        assert!(is_dossier_json(dossier.as_bytes()));
        assert!(!is_dossier_json(br#"{"id": "P", "documents": []}"#));
        let extracted = read_dossier("dossier.json", dossier.as_bytes()).unwrap();
        assert_eq!(extracted.attachments.len(), 2);
        let email = extracted.attachments[0].extraction.as_ref().unwrap();
        assert_eq!(
            email.info.title.as_deref(),
            Some("Nota proactieve dienstverlening")
        );
        assert_eq!(email.info.creation_date.as_deref(), Some("2023-03-10"));
        assert!(email.pages[0].text.starts_with("Van: [GELAKT: 5.1.2e]"));
        let chat = extracted.attachments[1].extraction.as_ref().unwrap();
        assert_eq!(chat.pages[0].text, "A: Internetconsultatie start maandag.");
        assert!(read_dossier("x.json", b"[1, 2]").is_err());
    }
}
