use b24_widgets::timeline;

fn main() {
    let _ = timeline! {
        blocks: {
            s: section { blocks: { t: text { value: "x" } } },
            d: text { value: "x", visible: false },
        },
    };
}
