# The encoding: feature types, levels byte-sorted and unique (as the encoder
# looks them up), the term count the features imply, finite means and sds.
train_small
. "${case_file%/cases/*}/edit_json.sh"
set_field type '"text"' type.json
refused type.json 'encoding\.features\[0\]\.type' 'expected "numeric" or "categorical", found "text"'
set_field levels '["b", "a"]' order.json
refused order.json 'encoding\.features\[1\]\.levels\[1\]' 'levels must be unique and in byte order \("a" follows "b"\)'
set_field levels '["a", "a"]' twice.json
refused twice.json 'encoding\.features\[1\]\.levels\[1\]' 'levels must be unique and in byte order \("a" follows "a"\)'
set_field levels '["a", "b", "c"]' more.json
refused more.json 'encoding\.term_means' 'expected 4 elements, found 3'
set_field baseline '"b"' baseline.json
refused baseline.json 'encoding\.features\[1\]\.baseline' 'expected "a" \(the first level\), found "b"'
set_field name '"plan"' name.json
refused name.json 'encoding\.features\[1\]\.name' 'feature "plan" appears twice'
set_field mean 1e999 mean.json
refused mean.json 'encoding\.features\[0\]\.mean' "expected a finite number, found a number beyond a double's range"
set_field sd -1 sd.json
refused sd.json 'encoding\.features\[0\]\.sd' 'expected a number >= 0, found -1'
set_field impute '"x"' impute.json
refused impute.json 'encoding\.features\[0\]\.impute' 'expected a finite number, found "x"'
set_field missing_term 0 term.json
refused term.json 'encoding\.features\[0\]\.missing_term' 'expected true or false, found 0'
set_field term_sds '[0, 1, -1]' sds.json
refused sds.json 'encoding\.term_sds\[2\]' 'expected a number >= 0, found -1'
set_field term_means '[1, null, 0.5]' means.json
refused means.json 'encoding\.term_means\[1\]' 'expected a finite number, found null'
