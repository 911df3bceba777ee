/** A text progress bar, `[#####-----]  52% 33.2/64.0 MB`; pure so it is testable. */
export function progressBar(have: number, total: number, width = 30): string {
  const f = total === 0 ? 1 : Math.min(1, have / total);
  const filled = Math.round(f * width);
  const mb = (n: number) => (n / 1e6).toFixed(1);
  return `[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${String(Math.floor(f * 100)).padStart(3)}% ${mb(have)}/${mb(total)} MB`;
}
