import { ref } from 'vue';
import { getJson, query, type Schemas } from './client';
import { homeUnit } from '../session';

const names = ref(new Map<number, string>());
const list = ref<{ unitId: number; name: string }[]>([]);
const gridList = ref<{ unitId: number; name: string }[]>([]);
let loaded: Promise<void> | null = null;

/** Names of the caller's units (its own, villages, grids) for lists that carry only ids. */
export function useUnitNames() {
  const home = homeUnit();
  loaded ??= home
    ? getJson<Schemas['CoverageReport']>('/membership/coverage' + query({ unitId: home.unitId })).then((report) => {
        const all = [report.unit, ...report.villages, ...report.grids].filter((u): u is Schemas['CoverageRow'] => !!u);
        names.value = new Map(all.map((u) => [u.unitId, u.name]));
        list.value = all.map((u) => ({ unitId: u.unitId, name: u.name }));
        gridList.value = report.grids.map((u) => ({ unitId: u.unitId, name: u.name }));
      }).catch(() => {
        loaded = null;
      })
    : Promise.resolve();
  return { unitName: (id: number) => names.value.get(id) ?? `单位 ${id}`, units: list, grids: gridList };
}

/** The quarter a day in China belongs to, as the API writes it (2026Q4). */
export function currentQuarter(): string {
  const china = new Date(Date.now() + 8 * 3600_000);
  return `${china.getUTCFullYear()}Q${Math.floor(china.getUTCMonth() / 3) + 1}`;
}
