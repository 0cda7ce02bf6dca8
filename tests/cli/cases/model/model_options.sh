# The header and options: format version, delimiter (one byte), missing
# policy, flags, missing-value tokens.
train_small
. "${case_file%/cases/*}/edit_json.sh"
set_field format_version 0 v0.json
refused v0.json 'format_version' 'expected a whole number from 1 to 3, found 0'
set_field tool_version 1 tool.json
refused tool.json 'tool_version' 'expected a string, found 1'
set_field delimiter '";;"' two.json
refused two.json 'options\.delimiter' 'expected one byte other than a quote or a line break, found ";;"'
set_field delimiter '"\n"' newline.json
refused newline.json 'options\.delimiter' 'expected one byte other than a quote or a line break, found "\?"'
set_field missing '"sometimes"' missing.json
refused missing.json 'options\.missing' 'expected "impute", "drop" or "error", found "sometimes"'
set_field firth '"yes"' firth.json
refused firth.json 'options\.firth' 'expected true or false, found "yes"'
set_field na '["NA", 0]' na.json
refused na.json 'options\.na\[1\]' 'expected a string, found 0'
