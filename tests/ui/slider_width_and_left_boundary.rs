use b24_widgets::layout;

fn main() {
    let _ = layout! {
        blocks: {
            l: link {
                text: "Open",
                action: openRestApp("howto", sliderParams: { width: 700, leftBoundary: 100 }),
            },
        },
    };
}
