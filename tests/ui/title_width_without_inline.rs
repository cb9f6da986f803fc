use b24_widgets::layout;

fn main() {
    let _ = layout! {
        blocks: {
            w: withTitle { title: "T", titleWidth: lg, block: text { value: "v" } },
        },
    };
}
