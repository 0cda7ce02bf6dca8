# The same data gives the same model bytes whatever CPU trains it (issue 9;
# issue 21).  Regressions: X'WX by OpenBLAS's dsyrk summed in a
# kernel-dependent order (AVX-512 and Sandybridge kernels wrote models
# differing from Haswell's); then glibc's exp and log, whose FMA and SSE2
# paths round differently, made a model trained where FMA is missing differ
# in thousands of digits (common/libm_fixed.c).  Each fit runs under every
# CPU-feature mask of run.sh (on_cpu) and is compared with the unmasked one.
"$vitals" generate 20000 --seed 12 -o g.csv 2>/dev/null || fail "generate"
for mask in $cpu_masks; do
    on_cpu $mask "$vitals" train g.csv --churn churned --expansion expanded --id account_id --by segment \
        --quiet -o "plain-$mask.json" 2>/dev/null || fail "train ($mask)"
    on_cpu $mask "$vitals" train g.csv --churn churned --id account_id --drop expanded --firth \
        --quiet -o "firth-$mask.json" 2>/dev/null || fail "train --firth ($mask)"
    on_cpu $mask "$vitals" train g.csv --churn churned --id account_id --drop expanded --l2 0.01 \
        --quiet -o "ridge-$mask.json" 2>/dev/null || fail "train --l2 ($mask)"
done
for kind in plain firth ridge; do
    for mask in $cpu_masks; do
        grep -v '"created_at"' "$kind-$mask.json" >"$kind-$mask.txt"
        cmp -s "$kind-all.txt" "$kind-$mask.txt" ||
            fail "$kind model under $mask differs: $(diff "$kind-all.txt" "$kind-$mask.txt" | head -3)"
    done
done
