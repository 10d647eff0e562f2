import type { ImageResource } from '../api/types';

interface Props {
  images: readonly ImageResource[];
  selected: readonly string[];
  onChange: (tags: string[]) => void;
}

/** Tag chips that narrow the list: every pressed tag must be on an image (the API's ?tag=, repeated). */
export function TagFilter({ images, selected, onChange }: Props) {
  const tags = [...new Set([...selected, ...images.flatMap((i) => i.tags)])].sort();
  if (tags.length === 0) return null;
  const toggle = (tag: string) => onChange(selected.includes(tag) ? selected.filter((t) => t !== tag) : [...selected, tag]);

  return (
    <div className="tag-filter" role="group" aria-label="Filter by tag">
      {tags.map((tag) => (
        <button key={tag} type="button" className="tag" aria-pressed={selected.includes(tag)} onClick={() => toggle(tag)}>{tag}</button>
      ))}
      {selected.length > 0 && <button type="button" className="link" onClick={() => onChange([])}>Show all</button>}
    </div>
  );
}
