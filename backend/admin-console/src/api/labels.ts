import { enumLabels } from '../../../../miniprogram-contracts/src/labels';

type Labels = Record<string, Record<string, string>>;

/** The Chinese word for an enum value of the contract (the value itself if the contract has none). */
export function label(enumName: string, value: string | null | undefined): string {
  if (value === null || value === undefined) {
    return '';
  }
  return (enumLabels as unknown as Labels)[enumName]?.[value] ?? value;
}
