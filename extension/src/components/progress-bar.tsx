interface Props {
  /** 0..1, or null when the size is not known yet. */
  value: number | null;
  label: string;
}

export function ProgressBar({ value, label }: Props) {
  const percent = value === null ? undefined : Math.round(value * 100);
  return (
    <div class="progress">
      <div
        class={`progress-track${value === null ? ' progress-unknown' : ''}`}
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
      >
        <div class="progress-fill" style={{ width: `${percent ?? 30}%` }} />
      </div>
      {percent !== undefined && <span class="progress-text">{percent}%</span>}
    </div>
  );
}
