# The same data gives the same model bytes whatever OpenBLAS kernel the CPU
# gets (issue 9).  Regression: X'WX by dsyrk and the Cholesky through GSL's
# BLAS summed in a kernel-dependent order, so SkylakeX (AVX-512) and
# Sandybridge wrote models differing from Haswell's in the last bits.
"$vitals" generate 20000 --seed 12 -o g.csv 2>/dev/null || fail "generate"
kernels="Haswell Zen Sandybridge"
if grep -qw avx512f /proc/cpuinfo; then
    kernels="$kernels SkylakeX"
else
    echo "skipped SkylakeX: this CPU has no avx512f"
fi
for kernel in $kernels; do
    OPENBLAS_CORETYPE=$kernel "$vitals" train g.csv --churn churned --expansion expanded --id account_id --by segment \
        --quiet -o "plain-$kernel.json" 2>/dev/null || fail "train ($kernel)"
    OPENBLAS_CORETYPE=$kernel "$vitals" train g.csv --churn churned --id account_id --drop expanded --firth \
        --quiet -o "firth-$kernel.json" 2>/dev/null || fail "train --firth ($kernel)"
    OPENBLAS_CORETYPE=$kernel "$vitals" train g.csv --churn churned --id account_id --drop expanded --l2 0.01 \
        --quiet -o "ridge-$kernel.json" 2>/dev/null || fail "train --l2 ($kernel)"
done
for kind in plain firth ridge; do
    for kernel in $kernels; do
        grep -v '"created_at"' "$kind-$kernel.json" >"$kind-$kernel.txt"
        cmp -s "$kind-Haswell.txt" "$kind-$kernel.txt" || fail "$kind model under $kernel differs from Haswell's"
    done
done
