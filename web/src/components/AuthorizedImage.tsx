import { useEffect, useState } from 'react';
import type { ApiClient } from '../api/client';

interface Props {
  api: ApiClient;
  path: string;
  alt: string;
  className?: string;
}

/** An image the API serves only with a bearer token: fetched, shown from an object URL, released when no longer shown. */
export function AuthorizedImage({ api, path, alt, className }: Props) {
  const [url, setUrl] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    const abort = new AbortController();
    let created: string | null = null;
    setUrl(null);
    setFailed(false);
    api
      .objectUrl(path, abort.signal)
      .then((u) => {
        created = u;
        setUrl(u);
      })
      .catch(() => !abort.signal.aborted && setFailed(true));
    return () => {
      abort.abort();
      if (created) URL.revokeObjectURL(created);
    };
  }, [api, path]);

  if (failed) return <div className={`image-placeholder ${className ?? ''}`}>Not available</div>;
  if (!url) return <div className={`image-placeholder loading ${className ?? ''}`} aria-busy="true">Loading…</div>;
  return <img className={className} src={url} alt={alt} />;
}
