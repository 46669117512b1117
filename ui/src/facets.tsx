/** The facet filters: each facet's values with their counts, as checkboxes. */
import type { Facet } from './api.js';
import { formatValue } from './format.js';
import { FACETS, type SearchState } from './search-state.js';

/** Values shown per facet. */
const SHOWN_VALUES = 12;

export function Facets(props: {
  state: SearchState;
  facets: Facet[];
  disabled: boolean;
  onChange: (state: SearchState) => void;
}) {
  const { state, facets, disabled, onChange } = props;
  const toggle = (key: string, value: string) => {
    const current = state.filters[key] ?? [];
    const next = current.includes(value) ? current.filter((item) => item !== value) : [...current, value];
    onChange({ ...state, filters: { ...state.filters, [key]: next }, cursor: '' });
  };
  return (
    <div class="facets">
      {disabled ? <p class="muted">Filters combine with queries of the form $[?…] only.</p> : null}
      {FACETS.map((spec) => {
        const facet = facets.find((candidate) => candidate.path === spec.path);
        const selected = state.filters[spec.key] ?? [];
        const values = facet?.values.slice(0, SHOWN_VALUES) ?? [];
        for (const json of selected)
          if (!values.some((entry) => JSON.stringify(entry.value) === json))
            values.push({ value: JSON.parse(json), count: 0 });
        if (values.length === 0) return null;
        return (
          <fieldset key={spec.key} data-facet={spec.key}>
            <legend>{spec.label}</legend>
            {values.map((entry) => {
              const json = JSON.stringify(entry.value);
              const id = `facet-${spec.key}-${json.replace(/[^A-Za-z0-9]/g, '_')}`;
              return (
                <div class="facet-value" key={json}>
                  <input
                    type="checkbox"
                    id={id}
                    checked={selected.includes(json)}
                    disabled={disabled}
                    onChange={() => toggle(spec.key, json)}
                  />
                  <label for={id}>
                    {formatValue(entry.value)} <span class="count">{entry.count}</span>
                  </label>
                </div>
              );
            })}
          </fieldset>
        );
      })}
    </div>
  );
}
