# A smooth model (--smooth auto, churn and expansion, REML) is the same
# bytes whatever OpenBLAS kernel the CPU gets, as model_same_on_every_kernel
# checks for the linear fits: the REML search, its Newton steps and the
# eigen-rotations of the penalties must not depend on the kernel.
"$vitals" generate 3000 --shape curved --seed 31 -o g.csv 2>/dev/null || fail "generate"
# Eight smooth terms rather than thirteen: a quarter of the time.
few=mrr,tenure_months,feature_a_adoption,feature_c_adoption,open_tickets
kernels="unset Haswell Zen Sandybridge"
if grep -qw avx512f /proc/cpuinfo; then
    kernels="$kernels SkylakeX"
else
    echo "skipped SkylakeX: this CPU has no avx512f"
fi
for kernel in $kernels; do
    if [ "$kernel" = unset ]; then
        (unset OPENBLAS_CORETYPE
         "$vitals" train g.csv --churn churned --expansion expanded --id account_id --drop "$few" --smooth auto \
             --quiet -o "smooth-$kernel.json" 2>/dev/null) || fail "train (no OPENBLAS_CORETYPE)"
    else
        OPENBLAS_CORETYPE=$kernel "$vitals" train g.csv --churn churned --expansion expanded --id account_id \
            --drop "$few" --smooth auto --quiet -o "smooth-$kernel.json" 2>/dev/null || fail "train ($kernel)"
    fi
    grep -q '"smooth":' "smooth-$kernel.json" || fail "no smooth term in the model ($kernel)"
    grep -v '"created_at"' "smooth-$kernel.json" >"smooth-$kernel.txt"
done
for kernel in $kernels; do
    cmp -s smooth-unset.txt "smooth-$kernel.txt" ||
        fail "smooth model under $kernel differs from the default kernel's: $(diff smooth-unset.txt "smooth-$kernel.txt" | head -4)"
done
