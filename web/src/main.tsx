import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { loadConfig } from './config';
import './styles.css';

const root = createRoot(document.getElementById('root')!);
loadConfig()
  .then((config) => root.render(<StrictMode><App config={config} /></StrictMode>))
  .catch((e: unknown) => root.render(<p className="error" role="alert">{e instanceof Error ? e.message : String(e)}</p>));
