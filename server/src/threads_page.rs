//! E-mail threads in the HTML UI: the document page's note ("this e-mail belongs to a thread of
//! N messages") and the thread page `/threads/{id}`: its messages oldest first, each with its
//! sender, recipients and subject as printed (redactions stay redactions) and links to the
//! pages that print it.

use crate::html::{page_head, page_header, url_encode, UiLanguage};
use crate::markup::html_escape;
use crate::search::EmailThread;

/// The link of thread `id`'s page.
pub fn thread_url(id: &str, language: UiLanguage) -> String {
    let url = format!("/threads/{}", url_encode(id));
    if language == UiLanguage::English {
        return format!("{url}?lang=en");
    }
    url
}

/// The document page's note on its thread; empty when it belongs to none.
pub fn thread_note(thread: Option<&(String, usize)>, language: UiLanguage) -> String {
    let Some((id, messages)) = thread else {
        return String::new();
    };
    let text = match language {
        UiLanguage::English => format!("This e-mail belongs to a thread of {messages} messages."),
        _ => format!("Deze e-mail hoort bij een reeks van {messages} berichten."),
    };
    format!(
        "<section class=\"thread\"><p>{} <a href=\"{}\">{}</a></p></section>",
        html_escape(&text),
        html_escape(&thread_url(id, language)),
        language.text("Bekijk de hele reeks", "See the whole thread"),
    )
}

/// The thread page.
pub fn render_thread_page(thread: &EmailThread, language: UiLanguage) -> String {
    let title = thread
        .subject
        .clone()
        .unwrap_or_else(|| language.text("E-mailreeks", "E-mail thread").to_string());
    let mut page = page_head(&title, language, "");
    page.push_str(&page_header("", "", language, false));
    page.push_str("<main id=\"content\" tabindex=\"-1\">");
    page.push_str(&format!(
        "<h1>{}</h1><p>{} {} · {} {}</p>",
        html_escape(&title),
        thread.message_count,
        language.text("berichten", "messages"),
        thread.documents.len(),
        language.text("documenten", "documents"),
    ));
    page.push_str("<ol class=\"thread-messages\">");
    let shown_language = if language == UiLanguage::English {
        "?lang=en"
    } else {
        ""
    };
    for message in &thread.messages {
        let places: Vec<String> = message
            .printed_in
            .iter()
            .map(|place| {
                let title = thread
                    .documents
                    .iter()
                    .find(|document| document.id == place.document_id)
                    .map(|document| document.title.as_str())
                    .unwrap_or(place.document_id.as_str());
                let separator = if shown_language.is_empty() { "?" } else { "&" };
                format!(
                    "<a href=\"/documents/{}{shown_language}{separator}page={}\">{} · {} {}</a>",
                    url_encode(&place.document_id),
                    place.page,
                    html_escape(title),
                    language.text("p.", "p."),
                    place.page,
                )
            })
            .collect();
        page.push_str(&format!(
            "<li><p><strong>{}</strong> · {}: {} · {}: {}</p><p>{}: {}</p><p>{}</p></li>",
            html_escape(
                message
                    .sent
                    .as_deref()
                    .unwrap_or("?")
                    .replace('T', " ")
                    .as_str()
            ),
            language.text("Van", "From"),
            html_escape(message.sender.as_deref().unwrap_or("")),
            language.text("Aan", "To"),
            html_escape(&message.recipients.join("; ")),
            language.text("Onderwerp", "Subject"),
            html_escape(message.subject.as_deref().unwrap_or("")),
            places.join(", "),
        ));
    }
    page.push_str("</ol></main></body></html>");
    page
}
