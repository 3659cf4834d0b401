//! Reading a documentation page back in tests: the data it embeds, and its entities. Shared by this
//! crate's tests and the CLI's end-to-end tests (`tests/doc.rs`).

#![allow(dead_code)]

use serde_json::Value as Json;

/// The JSON document the page embeds, read back from the HTML.
pub fn embedded(html: &str) -> Json {
    let marker = "<script type=\"application/json\" id=\"trackplan-data\">";
    let start = html.find(marker).expect("the page holds its data") + marker.len();
    let end = start
        + html[start..]
            .find("</script>")
            .expect("the data element ends");
    serde_json::from_str(&html[start..end]).expect("the data is JSON")
}

/// The ids of the entities of a section (`events`, `kpis`), in the page's order.
pub fn ids(data: &Json, section: &str) -> Vec<String> {
    data[section]
        .as_array()
        .unwrap_or_else(|| panic!("no {section} in the data"))
        .iter()
        .map(|e| e["id"].as_str().unwrap().to_string())
        .collect()
}

/// One entity's record.
pub fn entity<'a>(data: &'a Json, section: &str, id: &str) -> &'a Json {
    data[section]
        .as_array()
        .unwrap_or_else(|| panic!("no {section} in the data"))
        .iter()
        .find(|e| e["id"] == id)
        .unwrap_or_else(|| panic!("no {id} in {section}"))
}
