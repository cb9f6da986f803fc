use b24_widgets::layout;

fn main() {
    let _ = layout! {
        blocks: {
            menu: dropdownMenu { values: {} },
        },
    };
}
