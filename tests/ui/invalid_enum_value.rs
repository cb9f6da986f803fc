use b24_widgets::layout;

fn main() {
    let _ = layout! {
        blocks: {
            a: text { value: "a", size: huge, color: base_100 },
            s: section { type: info, imageSize: "xl", blocks: { b: text { value: "b" } } },
        },
        primaryButton: { title: "Save", state: hidden },
    };
}
