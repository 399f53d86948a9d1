// The ledger's curves as the Training page plots them, with no DOM: one point per term L_k for
// k = 1 … T − 1 (Eq. 5), each with the noise error and weight it is made of. The arrays of a
// LedgerResult are indexed by t − 1 (terms[t − 1] = L_{t−1}), so all three share the index k;
// L_0 (k = 0) is left out because it can be negative and the chart's axis is logarithmic, and
// L_T (k = T) has no ε error (it is drawn as its own marker).

export interface LedgerSeries {
  k: number[];
  term: number[];
  epsError: number[];
  weight: number[];
}

export function ledgerSeries(ledger: {terms: ArrayLike<number>; epsError: ArrayLike<number>; weight: ArrayLike<number>}): LedgerSeries {
  const T = ledger.terms.length - 1;
  if (ledger.epsError.length !== T || ledger.weight.length !== T) throw new Error(`a ledger of ${T + 1} terms needs ${T} ε errors and weights`);
  const k = Array.from({length: T - 1}, (_, i) => i + 1);
  return {k, term: k.map((i) => ledger.terms[i]), epsError: k.map((i) => ledger.epsError[i]), weight: k.map((i) => ledger.weight[i])};
}

/**
 * A few of the series' points for a table beside the chart, at k = 1, 2, 5, 10, 20, 50, … up to
 * the last plotted k, which is always included: the chart's log axis read off at round numbers.
 */
export function ledgerReadings(series: LedgerSeries): {k: number; term: number; epsError: number; weight: number}[] {
  const last = series.k.at(-1);
  if (last === undefined) return [];
  const ks: number[] = [];
  for (let decade = 1; decade < last; decade *= 10) for (const m of [1, 2, 5]) if (m * decade < last) ks.push(m * decade);
  ks.push(last);
  return ks.map((k) => {
    const i = k - series.k[0];
    return {k, term: series.term[i], epsError: series.epsError[i], weight: series.weight[i]};
  });
}
