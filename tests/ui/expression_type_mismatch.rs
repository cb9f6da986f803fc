use b24_widgets::layout;

fn main() {
    let count: u32 = 3;
    let _ = layout! {
        blocks: {
            t: text { value: "x", size: (count) },
        },
    };
}
