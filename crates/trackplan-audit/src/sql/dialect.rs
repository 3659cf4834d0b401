//! What differs between SQL dialects, as one small table per dialect: how a JSON value is reached,
//! typed and read, how strings are quoted, how a list or an object becomes rows. The query
//! (`super`) is written once against this table.

/// The SQL dialects the query is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    DuckDb,
    Spark,
    BigQuery,
    Snowflake,
}

impl Dialect {
    pub const ALL: [Dialect; 4] = [
        Dialect::DuckDb,
        Dialect::Spark,
        Dialect::BigQuery,
        Dialect::Snowflake,
    ];

    /// The name `--dialect` takes.
    pub fn name(self) -> &'static str {
        self.syntax().name
    }

    pub(super) fn syntax(self) -> &'static Syntax {
        match self {
            Dialect::DuckDb => &DUCKDB,
            Dialect::Spark => &SPARK,
            Dialect::BigQuery => &BIGQUERY,
            Dialect::Snowflake => &SNOWFLAKE,
        }
    }
}

/// The names a dialect's `type_of` gives each kind of JSON value.
pub(super) struct JsonTypes {
    pub null: &'static str,
    pub string: &'static str,
    pub boolean: &'static str,
    pub numbers: &'static [&'static str],
    pub list: &'static str,
    pub object: &'static str,
}

/// One dialect. Arguments named `json` are SQL expressions of the dialect's JSON type (SQL NULL
/// when the value is absent), `text` expressions of its string type.
pub(super) struct Syntax {
    pub name: &'static str,
    /// A comment's name for the dialect.
    pub label: &'static str,
    pub text_type: &'static str,
    pub double_type: &'static str,
    /// A string literal.
    pub literal: fn(&str) -> String,
    /// The body of the `source` view over the user's table: `event` as text, `properties` as JSON.
    pub source: fn(table: &str) -> String,
    /// The member `key` (a plain name, not yet quoted) of an object.
    pub field: fn(json: &str, key: &str) -> String,
    /// The kind of a value, one of `types`.
    pub type_of: fn(json: &str) -> String,
    pub types: JsonTypes,
    /// A string, number or boolean value as SQL text, double and boolean (only called on values
    /// of that kind, but must not fail on others: engines do not promise the order of `AND`).
    pub as_text: fn(json: &str) -> String,
    pub as_double: fn(json: &str) -> String,
    pub as_boolean: fn(json: &str) -> String,
    /// A value as JSON text (an example).
    pub json_text: fn(json: &str) -> String,
    /// A text as JSON text (an event name as an example).
    pub text_as_json: fn(text: &str) -> String,
    /// Characters (code points) in a text.
    pub char_length: fn(text: &str) -> String,
    /// The regular expression (a literal) matches somewhere in the text.
    pub matches: fn(text: &str, pattern: &str) -> String,
    /// A regular expression written for RE2 and Rust (the plan's patterns, the format checks) as
    /// the engine reads it the same way.
    pub regex: fn(pattern: &str) -> String,
    /// The number of items of a list.
    pub list_length: fn(json: &str) -> String,
    /// The number of different `key`s (a text expression on the variable `item`) of a list's
    /// items.
    pub distinct_items: fn(json: &str, key: &str) -> String,
    /// The number of members of an object.
    pub member_count: fn(json: &str) -> String,
    /// The item at `index` (from 0) of a list.
    pub item_at: fn(json: &str, index: usize) -> String,
    pub starts_with: fn(text: &str, prefix: &str) -> String,
    /// A value that tells the rows of one query's scan apart (to count a record once however
    /// many of its list items break a rule).
    pub record_id: &'static str,
    /// `SELECT {columns}, <an item of the list json> AS {node} FROM {from} WHERE {condition}`.
    pub items: fn(columns: &str, from: &str, json: &str, node: &str, condition: &str) -> String,
    /// `SELECT {columns}, <a member's name> AS key, <its value> AS value FROM {from} WHERE
    /// {condition}`, one row per member of the object `json`.
    pub members: fn(columns: &str, from: &str, json: &str, condition: &str) -> String,
    /// A FROM item of one text column `event` holding the literals.
    pub names: fn(literals: &[String]) -> String,
    /// A finding: a record of the text expressions `rule`, `property` and `example`.
    pub finding: fn(rule: &str, property: &str, example: &str) -> String,
    /// A list of findings, each an expression that may be NULL (no finding).
    pub findings: fn(items: &[String]) -> String,
    /// `SELECT {columns}, rule, property, example FROM {from}`, one row per finding (not NULL)
    /// of the list `findings` of each row.
    pub found: fn(columns: &str, from: &str, findings: &str) -> String,
}

/// A literal where only the quote is doubled (standard SQL; DuckDB).
fn doubled_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// A literal in the dialects where a backslash escapes (Spark, BigQuery, Snowflake).
fn backslashed(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            // Other control characters and Unicode's line breaks (among the format checks' white
            // space) as `\uXXXX`, which all three read: a quoted literal stays on one line.
            c if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') => {
                out.push_str(&format!("\\u{:04x}", u32::from(c)));
            }
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

/// Java's `$` also matches before a final line break, RE2's and Rust's only at the end: `\z`
/// outside character classes (Spark).
fn java_end_of_text(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len() + 4);
    let mut chars = pattern.chars();
    let mut in_class = false;
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                out.push(c);
                out.extend(chars.next());
            }
            '[' if !in_class => {
                in_class = true;
                out.push(c);
                // A `]` or `^]` right after the opening bracket is a member, not the end.
                let rest = chars.as_str();
                let skip = if rest.starts_with("^]") {
                    2
                } else {
                    usize::from(rest.starts_with(']'))
                };
                for _ in 0..skip {
                    out.extend(chars.next());
                }
            }
            ']' if in_class => {
                in_class = false;
                out.push(c);
            }
            '$' if !in_class => out.push_str("\\z"),
            c => out.push(c),
        }
    }
    out
}

/// A JSON path to a member, its name quoted as JSON (names hold spaces, dots and `$`).
fn json_quoted_path(key: &str) -> String {
    format!("$.{}", serde_json::Value::String(key.to_string()))
}

/// `found` where a list becomes rows in the select list (DuckDB).
fn unnested(columns: &str, from: &str, findings: &str) -> String {
    format!("SELECT {columns}, finding.rule AS rule, finding.property AS property, finding.example AS example FROM (SELECT {columns}, unnest({findings}) AS finding FROM {from}) AS each_finding WHERE finding IS NOT NULL")
}

/// `(VALUES ('a'), ('b')) AS planned(event)`.
fn values_table(literals: &[String]) -> String {
    let rows: Vec<String> = literals.iter().map(|l| format!("({l})")).collect();
    format!("(VALUES {}) AS planned(event)", rows.join(", "))
}

static DUCKDB: Syntax = Syntax {
    name: "duckdb",
    label: "DuckDB",
    text_type: "VARCHAR",
    double_type: "DOUBLE",
    literal: doubled_quote,
    source: |table| {
        format!(
            "SELECT CAST(event AS VARCHAR) AS event, CAST(properties AS JSON) AS properties FROM {table}"
        )
    },
    field: |json, key| {
        format!(
            "json_extract({json}, {})",
            doubled_quote(&json_quoted_path(key))
        )
    },
    type_of: |json| format!("json_type({json})"),
    types: JsonTypes {
        null: "NULL",
        string: "VARCHAR",
        boolean: "BOOLEAN",
        numbers: &["BIGINT", "UBIGINT", "DOUBLE", "HUGEINT"],
        list: "ARRAY",
        object: "OBJECT",
    },
    as_text: |json| format!("json_extract_string({json}, '$')"),
    as_double: |json| format!("TRY_CAST(CAST({json} AS VARCHAR) AS DOUBLE)"),
    as_boolean: |json| format!("TRY_CAST(CAST({json} AS VARCHAR) AS BOOLEAN)"),
    json_text: |json| format!("CAST({json} AS VARCHAR)"),
    text_as_json: |text| format!("CAST(to_json({text}) AS VARCHAR)"),
    char_length: |text| format!("length({text})"),
    matches: |text, pattern| format!("regexp_matches({text}, {pattern})"),
    regex: str::to_string,
    list_length: |json| format!("json_array_length({json})"),
    distinct_items: |json, key| {
        format!("len(list_distinct(list_transform(CAST({json} AS JSON[]), item -> {key})))")
    },
    member_count: |json| format!("len(json_keys({json}))"),
    item_at: |json, index| format!("json_extract({json}, '$[{index}]')"),
    starts_with: |text, prefix| format!("starts_with({text}, {prefix})"),
    record_id: "row_number() OVER ()",
    items: |columns, from, json, node, condition| {
        format!("SELECT {columns}, member.value AS {node} FROM {from}, json_each({json}) AS member WHERE {condition}")
    },
    members: |columns, from, json, condition| {
        format!("SELECT {columns}, member.key AS key, member.value AS value FROM {from}, json_each({json}) AS member WHERE {condition}")
    },
    names: values_table,
    finding: |rule, property, example| {
        format!("struct_pack(rule := {rule}, property := {property}, example := {example})")
    },
    findings: |items| format!("[{}]", items.join(", ")),
    found: unnested,
};

/// Spark 4 (its VARIANT type and functions): the table's `properties` is JSON text.
static SPARK: Syntax = Syntax {
    name: "spark",
    label: "Spark SQL",
    text_type: "STRING",
    double_type: "DOUBLE",
    literal: backslashed,
    source: |table| {
        format!(
            "SELECT CAST(event AS STRING) AS event, try_parse_json(CAST(properties AS STRING)) AS properties FROM {table}"
        )
    },
    // Spark's variant paths take `["name"]` or `['name']`, without escapes inside.
    field: |json, key| {
        let path = if key.contains('"') {
            format!("$['{key}']")
        } else {
            format!("$[\"{key}\"]")
        };
        format!("try_variant_get({json}, {})", backslashed(&path))
    },
    // `schema_of_variant` says `DECIMAL(3,1)`, `ARRAY<BIGINT>`, `OBJECT<a: STRING>`: its first word.
    type_of: |json| format!("regexp_extract(schema_of_variant({json}), '^[A-Z]+', 0)"),
    types: JsonTypes {
        null: "VOID",
        string: "STRING",
        boolean: "BOOLEAN",
        numbers: &[
            "TINYINT", "SMALLINT", "INT", "BIGINT", "FLOAT", "DOUBLE", "DECIMAL",
        ],
        list: "ARRAY",
        object: "OBJECT",
    },
    as_text: |json| format!("try_variant_get({json}, '$', 'string')"),
    as_double: |json| format!("try_variant_get({json}, '$', 'double')"),
    as_boolean: |json| format!("try_variant_get({json}, '$', 'boolean')"),
    json_text: |json| format!("to_json({json})"),
    text_as_json: |text| format!("to_json(CAST({text} AS VARIANT))"),
    char_length: |text| format!("char_length({text})"),
    matches: |text, pattern| format!("regexp_like({text}, {pattern})"),
    regex: java_end_of_text,
    list_length: |json| format!("size(try_variant_get({json}, '$', 'array<variant>'))"),
    distinct_items: |json, key| {
        format!("size(array_distinct(transform(try_variant_get({json}, '$', 'array<variant>'), item -> {key})))")
    },
    member_count: |json| format!("size(try_variant_get({json}, '$', 'map<string, variant>'))"),
    item_at: |json, index| format!("try_variant_get({json}, '$[{index}]')"),
    starts_with: |text, prefix| format!("startswith({text}, {prefix})"),
    record_id: "monotonically_increasing_id()",
    items: |columns, from, json, node, condition| {
        format!("SELECT {columns}, member.value AS {node} FROM {from}, LATERAL variant_explode({json}) AS member WHERE {condition}")
    },
    members: |columns, from, json, condition| {
        format!("SELECT {columns}, member.key AS key, member.value AS value FROM {from}, LATERAL variant_explode({json}) AS member WHERE {condition}")
    },
    names: values_table,
    finding: |rule, property, example| {
        format!("named_struct('rule', {rule}, 'property', {property}, 'example', {example})")
    },
    findings: |items| format!("array({})", items.join(", ")),
    found: |columns, from, findings| {
        format!("SELECT {columns}, finding.rule AS rule, finding.property AS property, finding.example AS example FROM (SELECT {columns}, explode({findings}) AS finding FROM {from}) AS each_finding WHERE finding IS NOT NULL")
    },
};

/// BigQuery (GoogleSQL): `properties` is of type JSON.
static BIGQUERY: Syntax = Syntax {
    name: "bigquery",
    label: "BigQuery",
    text_type: "STRING",
    double_type: "FLOAT64",
    literal: backslashed,
    source: |table| format!("SELECT CAST(event AS STRING) AS event, properties FROM {table}"),
    field: |json, key| format!("{json}[{}]", backslashed(key)),
    type_of: |json| format!("JSON_TYPE({json})"),
    types: JsonTypes {
        null: "null",
        string: "string",
        boolean: "boolean",
        numbers: &["number"],
        list: "array",
        object: "object",
    },
    as_text: |json| format!("LAX_STRING({json})"),
    as_double: |json| format!("LAX_FLOAT64({json})"),
    as_boolean: |json| format!("LAX_BOOL({json})"),
    json_text: |json| format!("TO_JSON_STRING({json})"),
    text_as_json: |text| format!("TO_JSON_STRING({text})"),
    char_length: |text| format!("CHAR_LENGTH({text})"),
    matches: |text, pattern| format!("REGEXP_CONTAINS({text}, {pattern})"),
    regex: str::to_string,
    list_length: |json| format!("ARRAY_LENGTH(JSON_QUERY_ARRAY({json}))"),
    distinct_items: |json, key| {
        format!("(SELECT COUNT(DISTINCT {key}) FROM UNNEST(JSON_QUERY_ARRAY({json})) AS item)")
    },
    member_count: |json| format!("ARRAY_LENGTH(JSON_KEYS({json}, 1))"),
    item_at: |json, index| format!("{json}[{index}]"),
    starts_with: |text, prefix| format!("STARTS_WITH({text}, {prefix})"),
    record_id: "GENERATE_UUID()",
    items: |columns, from, json, node, condition| {
        format!("SELECT {columns}, {node} FROM {from}, UNNEST(JSON_QUERY_ARRAY({json})) AS {node} WHERE {condition}")
    },
    members: |columns, from, json, condition| {
        // `JSON_KEYS` writes a name of other characters than letters, digits and `_` in double
        // quotes, as a JSON string (`"$browser"`, `"Order ID"`): read back as the name.
        let key = "IF(STARTS_WITH(raw_key, '\"'), COALESCE(LAX_STRING(SAFE.PARSE_JSON(raw_key)), raw_key), raw_key)";
        format!("SELECT {columns}, {key} AS key, {json}[{key}] AS value FROM {from}, UNNEST(JSON_KEYS({json}, 1)) AS raw_key WHERE {condition}")
    },
    names: |literals| format!("UNNEST([{}]) AS event", literals.join(", ")),
    finding: |rule, property, example| {
        format!("STRUCT({rule} AS rule, {property} AS property, {example} AS example)")
    },
    findings: |items| format!("[{}]", items.join(", ")),
    found: |columns, from, findings| {
        format!("SELECT {columns}, finding.rule AS rule, finding.property AS property, finding.example AS example FROM {from}, UNNEST({findings}) AS finding WHERE finding IS NOT NULL")
    },
};

/// Snowflake: `properties` is a VARIANT.
static SNOWFLAKE: Syntax = Syntax {
    name: "snowflake",
    label: "Snowflake",
    text_type: "VARCHAR",
    double_type: "DOUBLE",
    literal: backslashed,
    source: |table| format!("SELECT CAST(event AS VARCHAR) AS event, properties FROM {table}"),
    field: |json, key| format!("GET({json}, {})", backslashed(key)),
    type_of: |json| format!("TYPEOF({json})"),
    types: JsonTypes {
        null: "NULL_VALUE",
        string: "VARCHAR",
        boolean: "BOOLEAN",
        numbers: &["INTEGER", "DECIMAL", "DOUBLE"],
        list: "ARRAY",
        object: "OBJECT",
    },
    as_text: |json| format!("AS_VARCHAR({json})"),
    as_double: |json| {
        format!("CASE WHEN TYPEOF({json}) IN ('INTEGER', 'DECIMAL', 'DOUBLE') THEN CAST({json} AS DOUBLE) END")
    },
    as_boolean: |json| format!("AS_BOOLEAN({json})"),
    json_text: |json| format!("TO_JSON({json})"),
    text_as_json: |text| format!("TO_JSON(TO_VARIANT({text}))"),
    char_length: |text| format!("LENGTH({text})"),
    // REGEXP_LIKE matches the whole text; the plan's patterns match anywhere.
    matches: |text, pattern| format!("REGEXP_INSTR({text}, {pattern}) > 0"),
    regex: str::to_string,
    list_length: |json| format!("ARRAY_SIZE({json})"),
    distinct_items: |json, key| {
        format!("ARRAY_SIZE(ARRAY_DISTINCT(TRANSFORM(AS_ARRAY({json}), item -> {key})))")
    },
    member_count: |json| format!("ARRAY_SIZE(OBJECT_KEYS({json}))"),
    item_at: |json, index| format!("GET({json}, {index})"),
    starts_with: |text, prefix| format!("STARTSWITH({text}, {prefix})"),
    record_id: "SEQ8()",
    items: |columns, from, json, node, condition| {
        format!("SELECT {columns}, member.value AS {node} FROM {from}, LATERAL FLATTEN(input => AS_ARRAY({json})) AS member WHERE {condition}")
    },
    members: |columns, from, json, condition| {
        format!("SELECT {columns}, member.key AS key, member.value AS value FROM {from}, LATERAL FLATTEN(input => AS_OBJECT({json})) AS member WHERE {condition}")
    },
    names: values_table,
    // OBJECT_CONSTRUCT leaves out NULL members, ARRAY_CONSTRUCT_COMPACT NULL items.
    finding: |rule, property, example| {
        format!("OBJECT_CONSTRUCT('rule', {rule}, 'property', {property}, 'example', {example})")
    },
    findings: |items| format!("ARRAY_CONSTRUCT_COMPACT({})", items.join(", ")),
    found: |columns, from, findings| {
        format!("SELECT {columns}, AS_VARCHAR(finding.value:rule) AS rule, AS_VARCHAR(finding.value:property) AS property, AS_VARCHAR(finding.value:example) AS example FROM {from}, LATERAL FLATTEN(input => {findings}) AS finding")
    },
};

#[cfg(test)]
mod tests {
    use super::java_end_of_text;

    #[test]
    fn java_patterns_end_at_the_end_of_text() {
        for (rust, java) in [
            ("^a$", "^a\\z"),
            ("^(a|b$)", "^(a|b\\z)"),
            ("^a\\$", "^a\\$"),
            ("[$]$", "[$]\\z"),
            ("[]$]$", "[]$]\\z"),
            ("[^]$]$", "[^]$]\\z"),
            ("[a\\]$]x$", "[a\\]$]x\\z"),
        ] {
            assert_eq!(java_end_of_text(rust), java, "{rust}");
        }
    }
}
