//! The card's timeline as Bitrix24 draws it: comments, activities and configurable
//! activities, newest first; each configurable activity with its icon, header (title and
//! tags), body (logo and blocks) and footer (buttons and menu); the app's content-block
//! sets under the record they were set on. Every text is escaped; actions are links
//! (`redirect`) or buttons the page's script sends to the portal (`restEvent`,
//! `openRestApp`), with stable `data-b24-*` hooks.

use b24_html::escape_html as escape;
use layout_core::timeline::Translated;
use serde_json::Value;

use crate::portal::Portal;
use crate::timeline::{Blocked, Target};

/// The portal's language (what `resolve` picks from a text with translations).
const LANGUAGE: &str = "en";

/// A textWithTranslation as the user sees it, by the model's one rule
/// ([`Translated::resolve`]: their language, else English, else the first).
pub(crate) fn text(v: &Value) -> String {
    serde_json::from_value::<Translated>(v.clone())
        .map(|t| t.resolve(LANGUAGE).to_owned())
        .unwrap_or_default()
}

fn flag(v: Option<&Value>) -> bool {
    matches!(v, Some(Value::Bool(true))) || matches!(v, Some(Value::String(s)) if s == "true")
}

/// Whether a part shows in the browser (`scope: mobile` does not).
fn on_web(v: &Value) -> bool {
    v.get("scope").and_then(Value::as_str) != Some("mobile")
}

/// `activity:5` or `timeline:3`: where an action's layout is kept.
fn target_attr(target: Target) -> String {
    match target {
        Target::Activity(id) => format!("activity:{id}"),
        Target::Timeline(id) => format!("timeline:{id}"),
    }
}

/// The parsed form of [`target_attr`].
pub(crate) fn parse_target(s: &str) -> Option<Target> {
    let (kind, id) = s.split_once(':')?;
    let id = id.parse().ok()?;
    match kind {
        "activity" => Some(Target::Activity(id)),
        "timeline" => Some(Target::Timeline(id)),
        _ => None,
    }
}

/// What runs an action: a link for a redirect, a button for the others.
fn actionable(
    inner: &str,
    action: Option<&Value>,
    target: Target,
    pointer: &str,
    class: &str,
    disabled: bool,
) -> String {
    let Some(action) = action else {
        return format!("<span class=\"{class}\">{inner}</span>");
    };
    let t = escape(&target_attr(target));
    let p = escape(pointer);
    let off = if disabled { " disabled" } else { "" };
    match action.get("type").and_then(Value::as_str) {
        Some("redirect") => {
            let uri = action.get("uri").and_then(Value::as_str).unwrap_or("#");
            if uri.starts_with('/') {
                // Bitrix24's own pages are the portal's
                format!("<a class=\"{class}\" data-b24-redirect href=\"/portal{}\">{inner}</a>", escape(uri))
            } else {
                format!(
                    "<a class=\"{class}\" data-b24-redirect href=\"{}\" target=\"_blank\" rel=\"noopener noreferrer\">{inner}</a>",
                    escape(uri)
                )
            }
        }
        Some("restEvent") => format!(
            "<button type=\"button\" class=\"{class}\" data-b24-rest-event data-target=\"{t}\" data-pointer=\"{p}\"{off}>{inner}</button>"
        ),
        Some("openRestApp") => format!(
            "<button type=\"button\" class=\"{class}\" data-b24-open-app data-target=\"{t}\" data-pointer=\"{p}\"{off}>{inner}</button>"
        ),
        _ => format!("<span class=\"{class}\">{inner}</span>"),
    }
}

/// The blocks of a map, in order.
fn blocks(map: &Value, ctx: &Ctx, pointer: &str) -> String {
    let Some(map) = map.as_object() else {
        return String::new();
    };
    map.iter()
        .map(|(id, b)| {
            block(
                b,
                ctx,
                &format!("{pointer}/{}", id.replace('~', "~0").replace('/', "~1")),
            )
        })
        .collect()
}

/// What a block needs from its record.
struct Ctx {
    target: Target,
    /// The activity's deadline, when it shows one.
    deadline: Option<String>,
}

fn block(b: &Value, ctx: &Ctx, pointer: &str) -> String {
    let empty = Value::Object(Default::default());
    let p = b.get("properties").unwrap_or(&empty);
    if !on_web(p) {
        return String::new();
    }
    let ty = b.get("type").and_then(Value::as_str).unwrap_or_default();
    let inner = match ty {
        "text" => {
            let mut value = escape(&text(p.get("value").unwrap_or(&Value::Null)));
            if flag(p.get("multiline")) {
                value = value.replace('\n', "<br>");
            }
            let mut class = String::from("tl-text");
            if flag(p.get("bold")) {
                class.push_str(" tl-bold");
            }
            for key in ["size", "color"] {
                if let Some(v) = p.get(key).and_then(Value::as_str) {
                    class.push_str(&format!(" tl-{key}-{}", escape(v)));
                }
            }
            let title = p
                .get("title")
                .map(|t| format!(" title=\"{}\"", escape(&text(t))))
                .unwrap_or_default();
            format!("<span class=\"{class}\"{title}>{value}</span>")
        }
        "largeText" => {
            let full = text(p.get("value").unwrap_or(&Value::Null));
            let preview: String = full.chars().take(120).collect();
            if preview.len() == full.len() {
                format!(
                    "<div class=\"tl-large\">{}</div>",
                    escape(&full).replace('\n', "<br>")
                )
            } else {
                format!(
                    "<details class=\"tl-large\"><summary>{}… <span class=\"tl-more\">show more</span></summary>{}</details>",
                    escape(&preview).replace('\n', "<br>"),
                    escape(&full).replace('\n', "<br>")
                )
            }
        }
        "link" => {
            let class = if flag(p.get("bold")) {
                "tl-link tl-bold"
            } else {
                "tl-link"
            };
            let label = escape(&text(p.get("text").unwrap_or(&Value::Null)));
            actionable(
                &label,
                p.get("action"),
                ctx.target,
                &format!("{pointer}/properties/action"),
                class,
                false,
            )
        }
        "withTitle" => {
            let inline = if flag(p.get("inline")) { " tl-inline" } else { "" };
            format!(
                "<div class=\"tl-with-title{inline}\"><span class=\"tl-label\">{}</span><span class=\"tl-value\">{}</span></div>",
                escape(&text(p.get("title").unwrap_or(&Value::Null))),
                p.get("block").map(|inner| block(inner, ctx, &format!("{pointer}/properties/block"))).unwrap_or_default()
            )
        }
        "lineOfBlocks" => format!(
            "<div class=\"tl-line\">{}</div>",
            blocks(
                p.get("blocks").unwrap_or(&Value::Null),
                ctx,
                &format!("{pointer}/properties/blocks")
            )
        ),
        // not shown on an incoming activity, or on one without a deadline
        "deadline" => match &ctx.deadline {
            Some(d) => format!(
                "<span class=\"tl-deadline\" data-b24-deadline>{}</span>",
                escape(d)
            ),
            None => return String::new(),
        },
        _ => return String::new(),
    };
    format!(
        "<div class=\"tl-block\" data-b24-block=\"{}\">{inner}</div>",
        escape(ty)
    )
}

/// One configurable activity, as Bitrix24 draws it.
fn activity(a: &crate::timeline::Configurable, app_menu: &str) -> String {
    let l = &a.layout;
    let target = Target::Activity(a.id);
    let incoming = a.fields.get("isIncomingChannel") == Some(&Value::Bool(true));
    let ctx = Ctx {
        target,
        deadline: a
            .fields
            .get("deadline")
            .and_then(Value::as_str)
            .filter(|_| !incoming)
            .map(str::to_owned),
    };
    let icon = l
        .pointer("/icon/code")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let title = text(l.pointer("/header/title").unwrap_or(&Value::Null));
    let title = actionable(
        &escape(&title),
        l.pointer("/header/titleAction"),
        target,
        "/header/titleAction",
        "tl-title",
        false,
    );
    let tags: String = l
        .pointer("/header/tags")
        .and_then(Value::as_object)
        .map(|tags| {
            tags.iter()
                .filter(|(_, t)| on_web(t))
                .map(|(id, t)| {
                    let ty = t.get("type").and_then(Value::as_str).unwrap_or("secondary");
                    let label = escape(&text(t.get("title").unwrap_or(&Value::Null)));
                    actionable(
                        &label,
                        t.get("action"),
                        target,
                        &format!("/header/tags/{id}/action"),
                        &format!("tl-tag tl-tag-{}", escape(ty)),
                        false,
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let logo = l
        .pointer("/body/logo/code")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let logo = actionable(
        &format!("<span class=\"tl-logo-code\">{}</span>", escape(logo)),
        l.pointer("/body/logo/action"),
        target,
        "/body/logo/action",
        "tl-logo",
        false,
    );
    let body = blocks(
        l.pointer("/body/blocks").unwrap_or(&Value::Null),
        &ctx,
        "/body/blocks",
    );
    let blocked_buttons: &[String] = match &a.blocked {
        Some(Blocked::Buttons(b)) => b,
        _ => &[],
    };
    let buttons: String = l
        .pointer("/footer/buttons")
        .and_then(Value::as_object)
        .map(|buttons| {
            buttons
                .iter()
                .filter(|(_, b)| on_web(b))
                .map(|(id, b)| {
                    let at = format!("/footer/buttons/{id}");
                    let ty = b.get("type").and_then(Value::as_str).unwrap_or("secondary");
                    let label = escape(&text(b.get("title").unwrap_or(&Value::Null)));
                    let disabled = blocked_buttons.contains(&at);
                    actionable(
                        &label,
                        b.get("action"),
                        target,
                        &format!("{at}/action"),
                        &format!("tl-button tl-button-{}", escape(ty)),
                        disabled,
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let menu = l.pointer("/footer/menu");
    let completed = a.fields.get("completed") == Some(&Value::Bool(true));
    let shown = |key: &str| menu.and_then(|m| m.get(key)).is_none_or(|v| flag(Some(v)));
    let mut items = String::new();
    if shown("showPinItem") && completed {
        items.push_str("<li>Pin</li>");
    }
    if shown("showPostponeItem") && !completed && !incoming && ctx.deadline.is_some() {
        items.push_str("<li>Postpone</li>");
    }
    if shown("showDeleteItem") {
        items.push_str("<li>Delete</li>");
    }
    if let Some(app_items) = menu.and_then(|m| m.get("items")).and_then(Value::as_object) {
        for (id, item) in app_items.iter().filter(|(_, i)| on_web(i)) {
            let label = escape(&text(item.get("title").unwrap_or(&Value::Null)));
            items.push_str(&format!(
                "<li>{}</li>",
                actionable(
                    &label,
                    item.get("action"),
                    target,
                    &format!("/footer/menu/items/{id}/action"),
                    "tl-menu-item",
                    false
                )
            ));
        }
    }
    let loader = matches!(a.blocked, Some(Blocked::Record));
    format!(
        "<article class=\"tl-item tl-configurable{}\" data-b24-activity=\"{id}\"{busy}>\
         <div class=\"tl-icon\" data-b24-icon=\"{icon}\">{icon}</div>\
         <div class=\"tl-card\"><div class=\"tl-header\">{title}{tags}{app_menu}</div>\
         <div class=\"tl-body\">{logo}<div class=\"tl-blocks\">{body}</div></div>\
         <div class=\"tl-footer\">{buttons}<details class=\"tl-menu\" data-b24-menu><summary>…</summary><ul>{items}</ul></details></div>\
         </div></article>",
        if loader { " tl-loading" } else { "" },
        id = a.id,
        busy = if loader { " data-b24-blocked=\"record\" aria-busy=\"true\"" } else { "" },
        icon = escape(icon),
    )
}

/// A content-block set under its record (`data-rest-client-id`, as Bitrix24 marks it).
fn set(layout: &Value, target: Target, client_id: &str) -> String {
    let ctx = Ctx {
        target,
        deadline: None,
    };
    format!(
        "<div class=\"tl-set\" data-b24-set=\"{}\" data-rest-client-id=\"{}\">{}</div>",
        escape(&target_attr(target)),
        escape(client_id),
        blocks(layout.get("blocks").unwrap_or(&Value::Null), &ctx, "/blocks")
    )
}

/// The timeline of `owner_type_id` number `owner_id`: every record, newest first, each
/// with `menu` (the app's items of a record's menu) in its header.
pub(crate) fn render(
    portal: &Portal,
    entity_type: &str,
    owner_type_id: u64,
    owner_id: u64,
    menu: &str,
) -> String {
    let (configurable, sets) = portal.timeline_records(owner_type_id, owner_id);
    let set_of = |t: Target| sets.iter().find(|(s, _)| *s == t).map(|(_, v)| v.clone());
    let client_id = portal.config.client_id.clone();
    // (sort key: kind and id, newest first) -> html
    let mut items: Vec<(u64, String)> = Vec::new();
    for a in &configurable {
        items.push((a.id * 2 + 1, activity(a, menu)));
    }
    // (id, text) of the comments, and of the ordinary activities
    type Records = Vec<(u64, String)>;
    let (comments, plain): (Records, Records) = {
        let inner = portal.lock();
        let comments = inner
            .crm
            .comments
            .iter()
            .filter(|c| c.entity_id == owner_id && c.entity_type.eq_ignore_ascii_case(entity_type))
            .map(|c| (c.id, c.comment.clone()))
            .collect();
        let plain = inner
            .crm
            .objects
            .get(&6)
            .map(|acts| {
                acts.iter()
                    .filter(|(id, a)| {
                        !inner.timeline.activities.contains_key(id)
                            && crate::params::as_id(a.get("OWNER_TYPE_ID")) == Some(owner_type_id)
                            && crate::params::as_id(a.get("OWNER_ID")) == Some(owner_id)
                    })
                    .map(|(id, a)| {
                        (
                            *id,
                            a.get("SUBJECT")
                                .and_then(Value::as_str)
                                .unwrap_or("Activity")
                                .to_owned(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        (comments, plain)
    };
    for (id, comment) in comments {
        let extra = set_of(Target::Timeline(id))
            .map(|l| set(&l, Target::Timeline(id), &client_id))
            .unwrap_or_default();
        items.push((
            id * 2,
            format!(
                "<article class=\"tl-item tl-comment\" data-b24-comment=\"{id}\"><div class=\"tl-icon\">comment</div><div class=\"tl-card\"><div class=\"tl-header\"><span class=\"tl-title\">Comment</span>{menu}</div><div class=\"tl-body\"><span class=\"tl-text\">{}</span>{extra}</div></div></article>",
                escape(&comment)
            ),
        ));
    }
    for (id, subject) in plain {
        let extra = set_of(Target::Activity(id))
            .map(|l| set(&l, Target::Activity(id), &client_id))
            .unwrap_or_default();
        items.push((
            id * 2 + 1,
            format!(
                "<article class=\"tl-item tl-activity\" data-b24-plain-activity=\"{id}\"><div class=\"tl-icon\">activity</div><div class=\"tl-card\"><div class=\"tl-header\"><span class=\"tl-title\">{}</span>{menu}</div><div class=\"tl-body\">{extra}</div></div></article>",
                escape(&subject)
            ),
        ));
    }
    // the record every card begins with, as Bitrix24 writes it when the object is made
    items.push((
        0,
        format!(
            "<article class=\"tl-item tl-created\" data-b24-created><div class=\"tl-icon\">new</div><div class=\"tl-card\"><div class=\"tl-header\"><span class=\"tl-title\">Created</span>{menu}</div></div></article>"
        ),
    ));
    items.sort_by_key(|item| std::cmp::Reverse(item.0));
    let body: String = items.into_iter().map(|(_, html)| html).collect();
    format!("<section class=\"tl\" data-b24-timeline>{body}</section>")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_read_back() {
        for t in [Target::Activity(5), Target::Timeline(12)] {
            assert_eq!(parse_target(&target_attr(t)), Some(t));
        }
        assert_eq!(parse_target("deal:1"), None);
        assert_eq!(parse_target("activity:x"), None);
    }

    #[test]
    fn texts_are_escaped_and_resolved() {
        assert_eq!(text(&serde_json::json!({"de": "Hallo", "en": "Hello"})), "Hello");
        assert_eq!(text(&serde_json::json!({"de": "Hallo"})), "Hallo");
        let html = block(
            &serde_json::json!({"type": "text", "properties": {"value": "<b>x</b>\ny", "multiline": true}}),
            &Ctx {
                target: Target::Timeline(1),
                deadline: None,
            },
            "/blocks/t",
        );
        assert!(html.contains("&lt;b&gt;x&lt;/b&gt;<br>y"), "{html}");
    }
}
