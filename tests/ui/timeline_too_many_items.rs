use b24_widgets::timeline;

fn main() {
    let _ = timeline! {
        icon: { code: "info" },
        header: {
            title: "Call",
            tags: {
                a: { title: "a", type: success },
                b: { title: "b", type: success },
                c: { title: "c", type: success },
            },
        },
        body: { logo: { code: "document" }, blocks: { t: text { value: "x" } } },
        footer: {
            buttons: {
                ok: { title: "OK", type: primary },
            },
        },
    };
}
