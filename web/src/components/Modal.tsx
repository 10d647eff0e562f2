import { useEffect, useRef, type ReactNode } from 'react';

interface Props {
  title: string;
  onClose: () => void;
  children: ReactNode;
  className?: string;
}

/** A native modal dialog: focus stays inside, Escape closes it, focus returns to where it was. */
export function Modal({ title, onClose, children, className }: Props) {
  const dialog = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    const element = dialog.current;
    element?.showModal();
    return () => element?.close();
  }, []);

  return (
    <dialog ref={dialog} className={`modal ${className ?? ''}`} aria-label={title} onCancel={(e) => { e.preventDefault(); onClose(); }}>
      <header className="modal-header">
        <h2>{title}</h2>
        <button type="button" className="secondary" onClick={onClose} aria-label="Close">Close</button>
      </header>
      {children}
    </dialog>
  );
}
