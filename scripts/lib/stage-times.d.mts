export const STAGE_TIMES_FILE: string;
export type StageTimes = {
  finishedAt: string;
  cores: number;
  cpu: string;
  node: string;
  passed: number;
  failed: number;
  stages: { stage: string; seconds: number }[];
  totalSeconds: number;
};
export function recordStageTimes(
  root: string,
  run: {
    setupSeconds: number;
    results: { stage: string; seconds: number }[];
    passed: number;
    failed: number;
  },
  at?: Date,
): StageTimes;
export function readStageTimes(root: string): StageTimes | null;
