import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// findBy*/waitFor wait for a condition and return as soon as it holds; their 1 s default bound is
// shorter than a render plus a loopback request takes on a loaded 2-core CI machine.
configure({ asyncUtilTimeout: 5000 });
// A file's first test also imports MUI and Backstage into a fresh worker (seconds under load), and a
// test must outlast its own findBy bounds so that a failure names the missing element, not jest's 5 s.
jest.setTimeout(20_000);
