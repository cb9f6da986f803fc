use b24_widgets::layout;

fn main() {
    let _ = layout! {
        blocks: {
            city: select { selectedValue: "NYC", values: { nyc: "New York", la: "Los Angeles" } },
        },
    };
}
