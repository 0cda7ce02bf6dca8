# Set the value of the Nth "KEY": in a JSON file as vitals writes it (one
# member a line) to VALUE, keeping the line's comma; exit 1 if there is no
# such field, so a case cannot pass on an edit that did not happen.
# Usage: awk -v key=KEY -v value=VALUE [-v nth=N] -f set_field.awk IN >OUT
BEGIN {
    if (nth == "")
        nth = 1
    pattern = "\"" key "\":"
}
{
    at = index($0, pattern)
    if (at && ++seen == nth) {
        comma = $0 ~ /,[ \t]*$/ ? "," : ""
        $0 = substr($0, 1, at + length(pattern) - 1) "\t" value comma
        found = 1
    }
    print
}
END {
    if (!found)
        exit 1
}
