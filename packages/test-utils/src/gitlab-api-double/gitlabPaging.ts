/**
 * GitLab's offset pagination: `page` and `per_page` (default 20, at most 100),
 * answered with `x-page`, `x-per-page`, `x-total`, `x-total-pages`,
 * `x-next-page`, `x-prev-page` and a `link` header whose `rel="next"` clients
 * (gitbeaker among them) follow.
 */
export function paginate<T>(
  items: T[],
  query: Record<string, string>,
  requestUrl: URL,
): { page: T[]; headers: Record<string, string> } {
  const perPage = Math.min(Math.max(Number(query.per_page) || 20, 1), 100);
  const page = Math.max(Number(query.page) || 1, 1);
  const totalPages = Math.max(Math.ceil(items.length / perPage), 1);
  const link = (p: number) => {
    const url = new URL(requestUrl.toString());
    url.searchParams.set('page', String(p));
    url.searchParams.set('per_page', String(perPage));
    return url.toString();
  };
  const links = [
    ...(page < totalPages ? [`<${link(page + 1)}>; rel="next"`] : []),
    ...(page > 1 ? [`<${link(page - 1)}>; rel="prev"`] : []),
    `<${link(1)}>; rel="first"`,
    `<${link(totalPages)}>; rel="last"`,
  ];
  return {
    page: items.slice((page - 1) * perPage, page * perPage),
    headers: {
      'x-page': String(page),
      'x-per-page': String(perPage),
      'x-total': String(items.length),
      'x-total-pages': String(totalPages),
      'x-next-page': page < totalPages ? String(page + 1) : '',
      'x-prev-page': page > 1 ? String(page - 1) : '',
      link: links.join(', '),
    },
  };
}
