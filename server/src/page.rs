//! The widget's iframe page: its configuration (session, event URL, first layout) as
//! JSON escaped for `<script>`, and the bridge that speaks the frame protocol.

use axum::body::Bytes;
use axum::response::Html;
use layout_core::LayoutDto;

use b24_html::{escape_script_bytes, next_special, utf8};

const PAGE_START: &str =
    "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>widget</title></head><body>\n\
                          <script type=\"application/json\" id=\"b24-config\">";
const PAGE_END: &str = concat!(
    "</script>\n<script>",
    include_str!("../assets/bridge.js"),
    "</script>\n</body></html>\n"
);

/// The widget's iframe page: its initial layout, its session, and the bridge. No token
/// of the request is put in the page.
pub fn widget_page(layout: &LayoutDto, session: &str, event_url: &str) -> Html<String> {
    let config = render_config(layout, session, event_url);
    let mut page = Vec::with_capacity(PAGE_START.len() + config.len() + PAGE_END.len());
    page.extend_from_slice(PAGE_START.as_bytes());
    page.extend_from_slice(&config);
    page.extend_from_slice(PAGE_END.as_bytes());
    // the page is the templates (UTF-8) and JSON escaped by whole characters
    Html(utf8(page))
}

/// The configuration the bridge reads, escaped for `<script>`.
pub(crate) fn render_config(layout: &LayoutDto, session: &str, event_url: &str) -> Vec<u8> {
    // this runs on every frame opened: written once, straight from the typed layout, and
    // escaped in place if it needs to be
    let mut config = Vec::with_capacity(512);
    config.extend_from_slice(b"{\"session\":");
    let mut written = serde_json::to_writer(&mut config, session);
    config.extend_from_slice(b",\"eventUrl\":");
    written = written.and_then(|()| serde_json::to_writer(&mut config, event_url));
    config.extend_from_slice(b",\"layout\":");
    // the model's own writer: the bytes serde_json would write, in half the time
    config.extend_from_slice(layout.to_json().as_bytes());
    config.push(b'}');
    // writing strings into a Vec cannot fail
    written.expect("a string always serializes");
    if next_special(&config, 0).is_some() {
        let raw = std::mem::take(&mut config);
        escape_script_bytes(&raw, &mut config);
    }
    config
}

/// The widget page as a response body: the templates around the configuration (the
/// bridge script among them) are sent from static memory, not copied into every page.
pub(crate) struct PageBody {
    parts: [Bytes; 3],
    next: usize,
}

impl PageBody {
    pub(crate) fn new(config: Vec<u8>) -> Self {
        PageBody {
            parts: [
                Bytes::from_static(PAGE_START.as_bytes()),
                Bytes::from(config),
                Bytes::from_static(PAGE_END.as_bytes()),
            ],
            next: 0,
        }
    }
}

impl http_body::Body for PageBody {
    type Data = Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<Bytes>, Self::Error>>> {
        let this = &mut *self;
        let part = this.parts.get_mut(this.next).map(std::mem::take);
        this.next += 1;
        std::task::Poll::Ready(part.map(|p| Ok(http_body::Frame::data(p))))
    }

    fn is_end_stream(&self) -> bool {
        self.next >= self.parts.len()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        let rest = self.parts.get(self.next..).unwrap_or_default();
        http_body::SizeHint::with_exact(rest.iter().map(|p| p.len() as u64).sum())
    }
}
