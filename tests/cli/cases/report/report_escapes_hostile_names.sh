# A column named <script>alert(1)</script> and a level '<img src=x onerror=alert(2)>'
# show as text: escaped in the page, which stays well-formed.
command -v xmllint >/dev/null || fail "xmllint missing"
printf 'id,<script>alert(1)</script>,plan,churn\n' >h.csv
awk 'BEGIN { srand(3); for (i = 1; i <= 400; i++) { x = rand(); plan = (i % 3 == 0) ? "<img src=x onerror=alert(2)>" : (i % 3 == 1 ? "basic & co" : "pro"); printf "%d,%.4f,%s,%d\n", i, x, plan, (rand() < x ? 1 : 0) } }' >>h.csv
"$vitals" train h.csv --churn churn --id id --holdout 0.3 -o h.json --quiet 2>/dev/null || fail "train"
"$vitals" report h.json --data h.csv --title '<b>title</b>' -o h.html || fail "report"
xmllint --noout h.html || fail "not well-formed"
grep -q '<script' h.html && fail "raw <script> in the page"
grep -q '<img' h.html && fail "raw <img> in the page"
grep -q '<b>title' h.html && fail "raw title markup"
grep -q '&lt;script&gt;alert(1)&lt;/script&gt;' h.html || fail "column name not shown escaped"
grep -q '&lt;img src=x onerror=alert(2)&gt;' h.html || fail "level not shown escaped"
grep -q 'basic &amp; co' h.html || fail "ampersand not escaped"
[ "$(xmllint --xpath "count(//*[local-name()='script'] | //*[local-name()='img'] | //*[@onerror])" h.html)" = 0 ] ||
    fail "hostile markup became elements"
