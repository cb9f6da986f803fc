use b24_widgets::layout;

fn main() {
    let _ = layout! {
        blocks: {
            t: text { bold: true },
            l: link { text: "More" },
            w: withTitle { title: "T" },
            s: select { title: "City" },
        },
        primaryButton: { state: disabled },
    };
}
