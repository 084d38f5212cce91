import ReactDOM from 'react-dom/client';
// Styles of Backstage UI components (the scaffolder's form uses them), as a Backstage app's index.tsx imports them.
import '@backstage/ui/css/styles.css';
import { App } from './App';

ReactDOM.createRoot(document.getElementById('root')!).render(<App />);
