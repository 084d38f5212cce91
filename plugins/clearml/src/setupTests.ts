import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// findBy*/waitFor wait for a condition and return as soon as it holds; their 1 s default bound is
// shorter than a render plus a loopback request takes on a loaded 2-core CI machine.
configure({ asyncUtilTimeout: 5000 });
