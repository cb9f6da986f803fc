use b24_widgets::layout;

fn main() {
    let _ = layout! {
        blocks: {
            t: text { value: 42, bold: "yes" },
        },
    };
}
