//! What `timeline!` accepts, and what it builds: the docs' examples written with the
//! macro print the docs' JSON byte for byte; rules left for the run make a `Result`.

use b24_widgets::timeline::{LayoutDto, RestAppLayoutDto};
use b24_widgets::{timeline, timeline_json, Rule, Violations};

fn fixture(name: &str) -> String {
    let path = format!(
        "{}/tests/fixtures/docs/timeline/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(path).unwrap().trim_end().to_owned()
}

/// Statically checked records are plain documents: no error to handle.
fn is_activity(l: LayoutDto) -> LayoutDto {
    l
}

fn is_set(l: RestAppLayoutDto) -> RestAppLayoutDto {
    l
}

#[test]
fn the_docs_layout_written_with_the_macro_prints_the_docs_json() {
    let layout = is_activity(timeline! {
        icon: { code: "call-completed" },
        header: {
            title: "Incoming call",
            tags: { status2: { type: warning, title: "not transcribed" } },
        },
        body: {
            logo: { code: "call-incoming", action: redirect("/crm/deal/details/123/") },
            blocks: {
                client: withTitle {
                    title: "Client",
                    inline: true,
                    block: text { value: "Müller GmbH" },
                },
                responsible: lineOfBlocks {
                    blocks: {
                        client: link { text: "Klaus Weber", bold: true, action: redirect("/crm/lead/details/789/") },
                        phone: text { value: "+49 999 888 7777" },
                    },
                },
            },
        },
        footer: {
            buttons: {
                startCall: { title: "About client", action: openRestApp { actionParams: { clientId: 456 } }, type: primary },
            },
            menu: {
                showPostponeItem: "false",
                items: {
                    confirm: { title: "Confirm request", action: restEvent { id: "confirm", animationType: loader } },
                    decline: { title: "Reject request", action: restEvent("decline", animationType: loader) },
                },
            },
        },
    });
    assert_eq!(layout.to_json(), fixture("activity-layout"));
    assert_eq!(
        timeline_json! {
            icon: { code: "info" },
            header: { title: { de: "Information", en: "Information" } },
            body: { logo: { code: "notification" }, blocks: { text: text { value: "A text" } } },
        },
        r#"{"icon":{"code":"info"},"header":{"title":{"de":"Information","en":"Information"}},"body":{"logo":{"code":"notification"},"blocks":{"text":{"type":"text","properties":{"value":"A text"}}}}}"#
    );
}

#[test]
fn a_content_block_set_with_every_block_type() {
    let set = is_set(timeline! {
        blocks: {
            block_1: text { value: "Hello!\nWe are starting.", multiline: true, bold: true, color: base_90 },
            block_2: largeText { value: "Hello!\nWe are starting.\nWe are continuing.\nWe are still working on this.\nWe are continuing.\nWe are close to the result.\nGoodbye." },
            block_3: link { text: "Open deal", action: redirect("/crm/deal/details/123/"), bold: true },
            block_4: withTitle { title: "Title", block: text { value: "Some value" } },
            block_5: withTitle { title: "Title 2", block: link { text: "Open deal", action: redirect("/crm/deal/details/123/") }, inline: true },
            block_6: lineOfBlocks { blocks: {
                text: text { value: "Some text" },
                link: link { text: "link", action: redirect("/crm/deal/details/123/") },
                boldText: text { value: "bold text", bold: true },
            } },
            block_7: withTitle { title: "Title with deadline", block: deadline { readonly: false } },
        },
    });
    assert_eq!(set.to_json(), fixture("blocks-rest-app-layout"));
}

#[test]
fn values_of_the_run_and_loops_make_a_result() {
    let who = "Anna".to_owned();
    let steps = ["call", "offer", "contract"];
    let record: Result<RestAppLayoutDto, Violations> = timeline! {
        blocks: {
            who: text { value: (who.clone()), size: sm },
            for s in steps.iter() {
                (format!("step-{s}")): text { value: s.to_string() }
            }
        },
    };
    let record = record.unwrap();
    assert_eq!(record.blocks.as_ref().unwrap().len(), 4);
    // too many for the run: 25 steps and a fixed block
    let many: Vec<String> = (0..25).map(|i| i.to_string()).collect();
    let err = timeline! {
        blocks: {
            first: text { value: "x" },
            for s in many.iter() {
                (format!("s{s}")): text { value: s.clone() }
            }
        },
    }
    .unwrap_err();
    assert_eq!(err.0[0].rule, Rule::TooManyBlocks);
    // a key the timeline refuses, known only at run time
    let id = "has space";
    let err = timeline! { blocks: { (id): deadline {} } }.unwrap_err();
    assert_eq!(
        (err.0[0].pointer.as_str(), err.0[0].rule),
        ("/blocks/has space", Rule::KeyWrongSymbols)
    );
}
