use b24_widgets::layout;

fn main() {
    let items = ["a", "b"];
    let _ = layout! {
        blocks: {
            for item in items {
                row: text { value: item },
            }
        },
    };
}
